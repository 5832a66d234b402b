/**
 * The filter registry: the one place that says which filter of the view state applies to which
 * column of which table. Everything that filters reads it: the dashboard's views (over the
 * rollups), the portal's filtered downloads (over the microdata) and the notices that say a filter
 * was not applied.
 *
 * Rollups name their dimensions after the state's filter keys (src/lib/cubes/definitions.ts), so
 * for them the registry is "the dimensions the rollup has"; the microdata need SQL expressions,
 * joins included (a finding's authority is its visit's).
 */
import { CUBES, type CubeName } from '$lib/cubes/definitions';
import { andMask, maskOf, type Cube, type Mask } from '$lib/cubes/cube';
import type { DimValue } from '$lib/cubes/definitions';
import { LIST_FILTERS, type ListFilter, type ViewState } from '$lib/state/view-state';
import type { FilterColumns } from './filters';

export type FilterKey = ListFilter | 'year';

const FILTER_KEYS: FilterKey[] = ['year', ...(Object.keys(LIST_FILTERS) as ListFilter[])];

/** A rollup's filter dimensions as columns of the table it is counted from (same expressions). */
const columnsOf = (name: CubeName): FilterColumns =>
	Object.fromEntries(Object.entries(CUBES[name].dims).filter(([k]) => (FILTER_KEYS as string[]).includes(k)));

/** Released table -> the SQL expression each filter applies to (portal downloads, SQL). */
export const TABLE_FILTERS: Record<string, FilterColumns> = {
	regions: { region: 'region_code' },
	region_year: columnsOf('region_year'),
	facilities: { region: 'region_code', ftype: 'facility_type', auth: 'authority' },
	visits: columnsOf('visits'),
	findings: {
		year: 'year(visit_month)',
		region: 'region_code',
		ftype: 'facility_type',
		// Findings have no authority column: the visit's facility's authority, as the rollup has it.
		auth: '(SELECT v.authority FROM visits v WHERE v.visit_id = findings.visit_id)',
		ind: 'indicator'
	},
	allegations: columnsOf('allegations'),
	recommendations: columnsOf('recommendations'),
	recommendation_events: { year: 'year(event_month)', status: 'status' }
};

/** The filters a rollup applies (its dimensions that are filter keys). */
export function cubeFilters(name: CubeName): FilterKey[] {
	return FILTER_KEYS.filter((k) => Object.hasOwn(CUBES[name].dims, k));
}

/** The filters set in `state`. */
export function activeFilters(state: ViewState): FilterKey[] {
	return FILTER_KEYS.filter((k) => (k === 'year' ? state.from !== null || state.to !== null : state[k].length > 0));
}

/** Filters set in `state` that a view reading these rollups (minus `skip`) does not apply. */
export function filtersNotApplied(state: ViewState, cubes: CubeName[], skip: FilterKey[] = []): FilterKey[] {
	const applied = new Set(cubes.flatMap(cubeFilters).filter((k) => !skip.includes(k)));
	return activeFilters(state).filter((k) => !applied.has(k));
}

export interface CubeWhereOptions {
	/** Filters to leave out (the map shows every region even when some are selected). */
	skip?: FilterKey[];
	/** Fixed conditions of the view itself: dimension -> which values to keep. */
	keep?: Record<string, (value: DimValue) => boolean>;
}

/**
 * The view state as masks over a loaded rollup. Same meaning as the SQL filters over the microdata
 * (filters.ts): a year range keeps rows whose year is known and inside it; a list keeps rows whose
 * value is in it, so a withheld (NULL) value never matches a filter.
 */
export function cubeWhere(cube: Cube, state: ViewState, options: CubeWhereOptions = {}): Record<string, Mask> {
	const skip = new Set(options.skip ?? []);
	const where: Record<string, Mask> = {};
	const has = (d: string) => Object.hasOwn(cube.codes, d);
	if (has('year') && !skip.has('year') && (state.from !== null || state.to !== null)) {
		const from = state.from ?? -Infinity;
		const to = state.to ?? Infinity;
		where.year = maskOf(cube, 'year', (y) => y !== null && (y as number) >= from && (y as number) <= to);
	}
	for (const key of Object.keys(LIST_FILTERS) as ListFilter[]) {
		if (!has(key) || skip.has(key) || !state[key].length) continue;
		const allowed = new Set<DimValue>(state[key]);
		where[key] = maskOf(cube, key, (v) => v !== null && allowed.has(v));
	}
	for (const [dim, keep] of Object.entries(options.keep ?? {})) {
		where[dim] = andMask(where[dim], maskOf(cube, dim, keep));
	}
	return where;
}
