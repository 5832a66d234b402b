import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import type { Cube } from '$lib/cubes/cube';
import { TABLE_FILTERS } from './registry';
import { sliceAllegations } from './plan';

/** Columns of `allegations` that the shared filters apply to (the registry's). */
export const ALLEGATION_FILTERS = TABLE_FILTERS.allegations;

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
	const [slice] = await sliceAllegations(engine, state, [{ by: ['year', 'region'] }]);
	const rows = slice.map((r) => ({ year: r.year, region_code: r.region, n: r.n }) as YearRegionCount);
	const range = { fromYear: state.from ?? span.fromYear, toYear: state.to ?? span.toYear };
	const shown = state.region.length ? regionCodes.filter((c) => state.region.includes(c)) : regionCodes;
	return pivotByYear(rows, shown, range);
}

/** First and last year of a rollup (its dictionary holds exactly the years that occur). */
export function cubeYearSpan(cube: Cube): YearRange {
	const years = cube.dicts.year.filter((y): y is number => typeof y === 'number');
	const now = new Date().getUTCFullYear();
	return { fromYear: years.length ? Math.min(...years) : now, toYear: years.length ? Math.max(...years) : now };
}

export async function allegationYearSpan(engine: Engine): Promise<YearRange> {
	// Every allegation rollup has the same years: the smallest one says which.
	return cubeYearSpan(await engine.cube('allegations_base'));
}
