import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import { whereClause } from './filters';

/** Columns of `allegations` that the shared filters apply to. */
export const ALLEGATION_FILTERS = {
	year: 'report_year',
	region: 'region_code',
	ftype: 'facility_type',
	auth: 'authority',
	atype: 'allegation_type',
	perp: 'perpetrator',
	channel: 'channel'
} as const;

export interface YearRegionCount {
	year: number;
	region_code: string | null;
	n: number;
}

export interface AllegationsByYear {
	years: number[];
	/** National total per year, including records whose region was withheld. */
	national: number[];
	/** One series per region code, in the order given, with a count (0 if none) per year. */
	regions: { code: string; counts: number[] }[];
	/** Records per year whose region was withheld (NULL). */
	unattributed: number[];
}

export interface YearRange {
	fromYear: number;
	toYear: number;
}

export function pivotByYear(rows: YearRegionCount[], regionCodes: string[], range: YearRange): AllegationsByYear {
	const years: number[] = [];
	for (let y = range.fromYear; y <= range.toYear; y++) years.push(y);
	const yi = new Map(years.map((y, i) => [y, i]));
	const zero = () => years.map(() => 0);
	const byRegion = new Map(regionCodes.map((c) => [c, zero()]));
	const national = zero();
	const unattributed = zero();
	for (const r of rows) {
		const i = yi.get(r.year);
		if (i === undefined) continue;
		national[i] += r.n;
		const series = r.region_code == null ? unattributed : byRegion.get(r.region_code);
		if (series) series[i] += r.n;
	}
	return { years, national, unattributed, regions: regionCodes.map((code) => ({ code, counts: byRegion.get(code)! })) };
}

/** Allegations per report year and region under the view's filters; a NULL region was withheld. */
export async function allegationsByYear(engine: Engine, regionCodes: string[], span: YearRange, state: ViewState): Promise<AllegationsByYear> {
	const w = whereClause(state, ALLEGATION_FILTERS);
	const rows = await engine.query<YearRegionCount>(
		`SELECT report_year AS year, region_code, count(*) AS n FROM allegations${w.sql}
		GROUP BY report_year, region_code ORDER BY year, region_code NULLS LAST`,
		w.params
	);
	const range = { fromYear: state.from ?? span.fromYear, toYear: state.to ?? span.toYear };
	const shown = state.region.length ? regionCodes.filter((c) => state.region.includes(c)) : regionCodes;
	return pivotByYear(rows, shown, range);
}

export const YEAR_SPAN_SQL = `SELECT min(report_year) AS first, max(report_year) AS last FROM allegations`;

export async function allegationYearSpan(engine: Engine): Promise<YearRange> {
	const [r] = await engine.query<{ first: number; last: number }>(YEAR_SPAN_SQL);
	return { fromYear: r.first, toYear: r.last };
}
