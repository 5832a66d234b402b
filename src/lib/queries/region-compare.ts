/**
 * Regions compared like with like: for every region and for the nation, the headline measures as
 * one figure over the years shown and one figure a year. Rates divide allegations by the residents
 * of the same years (rates.ts); counts come with the nation's count, so a page can give a region's
 * share of it instead of setting a region's count against the national total.
 *
 * Measures (under the view's filters except the region filter, which this module sets itself):
 * - per100k: allegations per 100,000 residents a year (aligned years); a year: that year's rate;
 * - per1kDetainees: the same per 1,000 detainees (figure only, no yearly series on the pages);
 * - allegations, visits, recommendations (issued), findings (with a verdict): counts;
 * - standards: share of findings meeting the standard, of those with a verdict;
 * - implemented: share of recommendations implemented (to date), by year of issue for the series.
 * The nation's counts include records whose region was withheld.
 */
import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import { REGION_CODES } from '$lib/state/reference';
import { slice, type Cube } from '$lib/cubes/cube';
import { cubeWhere } from './registry';
import { ALLEGATION_FAMILY, pickCube } from './plan';
import type { CubeName } from '$lib/cubes/definitions';
import { cubeYearSpan } from './allegations-by-year';
import { alignedRate, PER, rateYears, type RateColumn } from './rates';

/** One measure: its figure over the years shown and its value for each of `years`. */
export interface CompareMeasure {
	value: number | null;
	series: (number | null)[];
}

export interface RegionComparisonRow {
	/** ISO 3166-2 code; null for the nation. */
	code: string | null;
	per100k: CompareMeasure;
	per1kDetainees: number | null;
	allegations: CompareMeasure;
	visits: CompareMeasure;
	standards: CompareMeasure;
	implemented: CompareMeasure;
	/** Recommendations issued and findings with a verdict (the shares' denominators). */
	recommendations: number;
	findings: number;
	/** Resident-years over the rate's years (null when none is known). */
	residents: number | null;
	/** Residents in each of `years` (null where unknown): the yearly rates' denominators. */
	residentsSeries: (number | null)[];
}

export interface RegionsComparison {
	/** The years of the series: those shown within the allegations' span. */
	years: number[];
	/** The years the rates run over (those of `years` with residents for every region counted). */
	rateYears: number[];
	national: RegionComparisonRow;
	/** One row per region, in REGION_CODES order. */
	regions: RegionComparisonRow[];
}

export interface ComparisonCubes {
	allegations: Cube;
	visits: Cube;
	findings: Cube;
	recommendations: Cube;
	regionYear: Cube;
}

const NATIONAL = '';
type Tally = Map<string, Map<number | null, number>>;

/** Sums of `measure` per region ('' = the nation, every row) and year (null = year withheld). */
function tally(cube: Cube, state: ViewState, test: (r: Record<string, unknown>) => boolean = () => true, by: string[] = [], measure = 'n'): Tally {
	const out: Tally = new Map();
	const add = (key: string, year: number | null, n: number) => {
		let m = out.get(key);
		if (!m) out.set(key, (m = new Map()));
		m.set(year, (m.get(year) ?? 0) + n);
	};
	for (const r of slice(cube, { where: cubeWhere(cube, state, { skip: ['region'] }), by: ['region', 'year', ...by], sum: [measure] })) {
		if (!test(r)) continue;
		const n = r[measure] as number;
		const year = r.year as number | null;
		add(NATIONAL, year, n);
		if (r.region != null) add(r.region as string, year, n);
	}
	return out;
}

const total = (m: Map<number | null, number> | undefined) => [...(m ?? new Map<number | null, number>()).values()].reduce((s, n) => s + n, 0);
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Person-years per year, for one region or ('' ) all of them; null where a region lacks a figure. */
function denominators(regionYear: Cube, state: ViewState, column: RateColumn): Map<string, Map<number, number | null>> {
	const out = new Map<string, Map<number, number | null>>();
	const national = new Map<number, { sum: number; regions: number }>();
	const rows = slice(regionYear, { where: cubeWhere(regionYear, state, { skip: ['region'] }), by: ['region', 'year'], sum: [column, `n_${column}`] });
	for (const r of rows) {
		if (r.region == null || r.year == null) continue;
		const known = (r[`n_${column}`] as number) > 0;
		const v = r[column] as number;
		let m = out.get(r.region as string);
		if (!m) out.set(r.region as string, (m = new Map()));
		m.set(r.year as number, known ? v : null);
		const nat = national.get(r.year as number) ?? { sum: 0, regions: 0 };
		if (known) {
			nat.sum += v;
			nat.regions += 1;
		}
		national.set(r.year as number, nat);
	}
	// The nation's figure for a year is the sum over the regions, as on the theme pages (which
	// sum every region with a figure).
	out.set(NATIONAL, new Map([...national].map(([y, v]) => [y, v.regions > 0 && v.sum > 0 ? v.sum : null])));
	return out;
}

export function regionsComparisonFromCubes(c: ComparisonCubes, state: ViewState): RegionsComparison {
	const years = rateYears(state, cubeYearSpan(c.allegations));
	const allegations = tally(c.allegations, state);
	const visits = tally(c.visits, state);
	const assessed = tally(c.findings, state, (r) => r.meets !== null, ['meets']);
	const meets = tally(c.findings, state, (r) => r.meets === 1, ['meets']);
	const issued = tally(c.recommendations, state, () => true, ['status']);
	const implemented = tally(c.recommendations, state, (r) => r.status === 'implemented', ['status']);
	const residents = denominators(c.regionYear, state, 'residents');
	const detainees = denominators(c.regionYear, state, 'detainees');

	const row = (key: string): RegionComparisonRow => {
		const counts = new Map([...(allegations.get(key) ?? [])].filter((e): e is [number, number] => e[0] !== null));
		const res = residents.get(key) ?? new Map();
		const rate = alignedRate(counts, res, years, PER.residents);
		const yearly = (t: Tally) => years.map((y) => t.get(key)?.get(y) ?? 0);
		const share = (num: Tally, den: Tally) => years.map((y) => ratio(num.get(key)?.get(y) ?? 0, den.get(key)?.get(y) ?? 0));
		return {
			code: key === NATIONAL ? null : key,
			per100k: { value: rate.value, series: years.map((y) => alignedRate(counts, res, [y], PER.residents).value) },
			per1kDetainees: alignedRate(counts, detainees.get(key) ?? new Map(), years, PER.detainees).value,
			allegations: { value: total(allegations.get(key)), series: yearly(allegations) },
			visits: { value: total(visits.get(key)), series: yearly(visits) },
			standards: { value: ratio(total(meets.get(key)), total(assessed.get(key))), series: share(meets, assessed) },
			implemented: { value: ratio(total(implemented.get(key)), total(issued.get(key))), series: share(implemented, issued) },
			recommendations: total(issued.get(key)),
			findings: total(assessed.get(key)),
			residents: rate.denominator,
			residentsSeries: years.map((y) => {
				const d = res.get(y);
				return d != null && d > 0 ? d : null;
			})
		};
	};
	const national = row(NATIONAL);
	return { years, rateYears: alignedRate(new Map(), residents.get(NATIONAL) ?? new Map(), years, 1).years, national, regions: REGION_CODES.map(row) };
}

/** The rollups the comparison reads, for `state` (the region filter does not apply). */
export async function comparisonCubes(engine: Engine, state: ViewState): Promise<ComparisonCubes> {
	const allegations = pickCube(ALLEGATION_FAMILY, state, { by: ['region', 'year'], skip: ['region'] });
	const [a, visits, findings, recommendations, regionYear] = await Promise.all(
		([allegations, 'visits', 'findings', 'recommendations', 'region_year'] as CubeName[]).map((n) => engine.cube(n))
	);
	return { allegations: a, visits, findings, recommendations, regionYear };
}

export async function loadRegionsComparison(engine: Engine, state: ViewState): Promise<RegionsComparison> {
	return regionsComparisonFromCubes(await comparisonCubes(engine, state), state);
}
