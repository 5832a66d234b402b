/**
 * Conditions of detention: what the Conditions page (and the overview, region pages and embeds)
 * needs, from the `findings` rollup (counts of verdicts per region, facility type, authority,
 * indicator and visit year; a finding's authority is its visit's) and the `finding_values` rollup
 * (the distribution of living space values). Years apply to the visit month.
 *
 * - heatmap: per region x indicator, the findings assessed (meets_standard not NULL) and the share
 *   meeting the standard; cells with fewer than MIN_FINDINGS assessed findings carry no share.
 * - livingSpace: per facility type, the 5th, 25th, 50th, 75th and 95th percentiles of living space
 *   (m² per person), continuous quantiles (linear interpolation, DuckDB quantile_cont).
 * - occupancy: per visit year, the share of visits with an occupancy verdict that found the facility
 *   over capacity (meets_standard false: present > capacity). The release publishes only this
 *   verdict, not the rate, which would let capacity be narrowed inside its published band
 *   (docs/data-pipeline.md, section 5).
 */
import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import { slice, weightedQuantile, type Cube } from '$lib/cubes/cube';
import { cubeYearSpan } from './allegations-by-year';
import { cubeWhere, TABLE_FILTERS } from './registry';

/** Fewer assessed findings than this in a cell (or a group): "not enough data", no share or box. */
export const MIN_FINDINGS = 5;
/** CPT minimum living space in shared cells, m² per person. */
export const CPT_LIVING_SPACE_M2 = 4;
export const LIVING_SPACE = 'living_space_m2';
export const OCCUPANCY = 'occupancy_rate';

/** Columns of the findings microdata the shared filters apply to (the registry's). */
export const CONDITION_FILTERS = TABLE_FILTERS.findings;

export interface YearRange {
	fromYear: number;
	toYear: number;
}

export interface HeatmapCell {
	/** NULL: the region was withheld. */
	region_code: string | null;
	indicator: string;
	/** Findings with a verdict (meets_standard not NULL). */
	n: number;
	met: number;
	/** met / n, or null when n < MIN_FINDINGS. */
	share: number | null;
}

export interface BoxGroup {
	/** NULL: the facility type was withheld. */
	facility_type: string | null;
	n: number;
	p05: number | null;
	q1: number | null;
	median: number | null;
	q3: number | null;
	p95: number | null;
	/** Share of findings below the CPT minimum (4 m²). */
	below: number | null;
}

export interface OccupancyYear {
	year: number;
	/** Visits with an occupancy verdict that year. */
	n: number;
	/** Share of those visits that found the facility over capacity (present > capacity). */
	over: number | null;
}

export interface ConditionsView {
	span: YearRange;
	heatmap: HeatmapCell[];
	livingSpace: BoxGroup[];
	occupancy: OccupancyYear[];
	/** Findings whose region or facility type was withheld (NULL) under the filters. */
	withheld: number;
}

export async function conditionsYearSpan(engine: Engine): Promise<YearRange> {
	return cubeYearSpan(await engine.cube('findings'));
}

/** NULL (withheld) last, then by code, as SQL's ORDER BY ... NULLS LAST. */
const nullsLast = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

export function heatmapFromCube(findings: Cube, state: ViewState): HeatmapCell[] {
	const rows = slice(findings, { where: cubeWhere(findings, state), by: ['region', 'ind', 'meets'] });
	const cells = new Map<string, HeatmapCell>();
	for (const r of rows) {
		const key = `${r.region}\u0000${r.ind}`;
		let c = cells.get(key);
		if (!c) cells.set(key, (c = { region_code: r.region as string | null, indicator: r.ind as string, n: 0, met: 0, share: null }));
		if (r.meets !== null) c.n += r.n as number;
		if (r.meets === 1) c.met += r.n as number;
	}
	return [...cells.values()]
		.sort((a, b) => nullsLast(a.region_code, b.region_code) || nullsLast(a.indicator, b.indicator))
		.map((c) => ({ ...c, share: c.n >= MIN_FINDINGS ? c.met / c.n : null }));
}

export async function conditionsHeatmap(engine: Engine, state: ViewState): Promise<HeatmapCell[]> {
	return heatmapFromCube(await engine.cube('findings'), state);
}

/** Values of one indicator under the filters (the indicator filter does not apply: it is fixed), grouped by `dim`. */
function valuesBy(values: Cube, state: ViewState, indicator: string, dim: string): Map<string | number | null, { value: number; count: number }[]> {
	const rows = slice(values, { where: cubeWhere(values, state, { skip: ['ind'], keep: { ind: (v) => v === indicator } }), by: [dim, 'value'] });
	const groups = new Map<string | number | null, { value: number; count: number }[]>();
	for (const r of rows) {
		const key = r[dim];
		let list = groups.get(key);
		if (!list) groups.set(key, (list = []));
		list.push({ value: r.value as number, count: r.n as number });
	}
	return groups;
}

const countOf = (list: { count: number }[]) => list.reduce((s, v) => s + v.count, 0);
const shareOf = (list: { value: number; count: number }[], test: (v: number) => boolean) => {
	const n = countOf(list);
	return n ? list.reduce((s, v) => s + (test(v.value) ? v.count : 0), 0) / n : null;
};

export function livingSpaceFromCube(values: Cube, state: ViewState): BoxGroup[] {
	const groups = valuesBy(values, state, LIVING_SPACE, 'ftype');
	return [...groups]
		.sort(([a], [b]) => nullsLast(a as string | null, b as string | null))
		.map(([code, list]) => {
			const n = countOf(list);
			// Too few values for a box: keep the group and its n, drop the quantiles.
			if (n < MIN_FINDINGS) return { facility_type: code as string | null, n, p05: null, q1: null, median: null, q3: null, p95: null, below: null };
			const q = (p: number) => weightedQuantile(list, p);
			return { facility_type: code as string | null, n, p05: q(0.05), q1: q(0.25), median: q(0.5), q3: q(0.75), p95: q(0.95), below: shareOf(list, (v) => v < CPT_LIVING_SPACE_M2) };
		});
}

export async function livingSpaceByFacilityType(engine: Engine, state: ViewState): Promise<BoxGroup[]> {
	return livingSpaceFromCube(await engine.cube('finding_values'), state);
}

export function occupancyFromCube(findings: Cube, state: ViewState, span: YearRange): OccupancyYear[] {
	const rows = slice(findings, { where: cubeWhere(findings, state, { skip: ['ind'], keep: { ind: (v) => v === OCCUPANCY } }), by: ['year', 'meets'] });
	const byYear = new Map<number, { n: number; over: number }>();
	for (const r of rows) {
		if (r.year === null || r.meets === null) continue;
		let y = byYear.get(r.year as number);
		if (!y) byYear.set(r.year as number, (y = { n: 0, over: 0 }));
		y.n += r.n as number;
		if (r.meets === 0) y.over += r.n as number;
	}
	const out: OccupancyYear[] = [...byYear].map(([year, y]) => ({ year, n: y.n, over: y.over / y.n }));
	return fillYears(out, { fromYear: state.from ?? span.fromYear, toYear: state.to ?? span.toYear });
}

export async function occupancyByYear(engine: Engine, state: ViewState, span: YearRange): Promise<OccupancyYear[]> {
	return occupancyFromCube(await engine.cube('findings'), state, span);
}

/** One entry per year of the range; a year without visits has n = 0 and no values (a gap). */
export function fillYears(rows: OccupancyYear[], range: YearRange): OccupancyYear[] {
	const byYear = new Map(rows.map((r) => [r.year, r]));
	const out: OccupancyYear[] = [];
	for (let y = range.fromYear; y <= range.toYear; y++) out.push(byYear.get(y) ?? { year: y, n: 0, over: null });
	return out;
}

/** Findings under the filters whose region or facility type was withheld (NULL). */
export function withheldFromCube(findings: Cube, state: ViewState): number {
	return slice(findings, { where: cubeWhere(findings, state), by: ['region', 'ftype'], sum: ['n'] })
		.filter((r) => r.region === null || r.ftype === null)
		.reduce((s, r) => s + (r.n as number), 0);
}

export async function withheldFindings(engine: Engine, state: ViewState): Promise<number> {
	return withheldFromCube(await engine.cube('findings'), state);
}

/** Everything the Conditions page needs for one view state. */
export async function loadConditionsView(engine: Engine, state: ViewState, span?: YearRange): Promise<ConditionsView> {
	const [findings, values] = await Promise.all([engine.cube('findings'), engine.cube('finding_values')]);
	const s = span ?? cubeYearSpan(findings);
	return {
		span: s,
		heatmap: heatmapFromCube(findings, state),
		livingSpace: livingSpaceFromCube(values, state),
		occupancy: occupancyFromCube(findings, state, s),
		withheld: withheldFromCube(findings, state)
	};
}
