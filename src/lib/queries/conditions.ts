/**
 * Conditions of detention: what the Conditions page (and the overview, region pages and embeds)
 * needs, from `findings` (one row per indicator per visit), joined to `visits` on visit_id for the
 * facility's authority. Fixed SQL text; every value from the view state is a bound parameter
 * (whereClause). Years apply to the visit month.
 *
 * - heatmap: per region x indicator, the findings assessed (meets_standard not NULL) and the share
 *   meeting the standard; cells with fewer than MIN_FINDINGS assessed findings carry no share.
 * - livingSpace: per facility type, the 5th, 25th, 50th, 75th and 95th percentiles of living space
 *   (m² per person), continuous quantiles (linear interpolation, DuckDB quantile_cont).
 * - occupancy: per visit year, the median occupancy (present / capacity) and the share of visits
 *   over capacity (> 1.0).
 */
import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import { whereClause } from './filters';

/** Fewer assessed findings than this in a cell (or a group): "not enough data", no share or box. */
export const MIN_FINDINGS = 5;
/** CPT minimum living space in shared cells, m² per person. */
export const CPT_LIVING_SPACE_M2 = 4;
export const LIVING_SPACE = 'living_space_m2';
export const OCCUPANCY = 'occupancy_rate';

/** findings f, with the authority of the visit's facility (v.authority) for the `auth` filter. */
const FROM = `FROM findings f LEFT JOIN visits v ON v.visit_id = f.visit_id`;

/** Columns the shared filters apply to. */
export const CONDITION_FILTERS = {
	year: 'year(f.visit_month)',
	region: 'f.region_code',
	ftype: 'f.facility_type',
	auth: 'v.authority',
	ind: 'f.indicator'
} as const;

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
	/** Visits with an occupancy finding that year. */
	n: number;
	median: number | null;
	/** Share of those visits over capacity (present / capacity > 1). */
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

export const SPAN_SQL = `SELECT min(year(visit_month))::INTEGER AS first, max(year(visit_month))::INTEGER AS last FROM findings`;

export async function conditionsYearSpan(engine: Engine): Promise<YearRange> {
	const [r] = await engine.query<{ first: number | null; last: number | null }>(SPAN_SQL);
	const now = new Date().getUTCFullYear();
	return { fromYear: r?.first ?? now, toYear: r?.last ?? now };
}

export async function conditionsHeatmap(engine: Engine, state: ViewState): Promise<HeatmapCell[]> {
	const w = whereClause(state, CONDITION_FILTERS);
	const rows = await engine.query<{ region_code: string | null; indicator: string; n: number; met: number }>(
		`SELECT f.region_code, f.indicator, count(f.meets_standard)::INTEGER AS n,
			count(*) FILTER (WHERE f.meets_standard)::INTEGER AS met
		${FROM}${w.sql}
		GROUP BY f.region_code, f.indicator ORDER BY f.region_code NULLS LAST, f.indicator`,
		w.params
	);
	return rows.map((r) => ({ ...r, share: r.n >= MIN_FINDINGS ? r.met / r.n : null }));
}

export async function livingSpaceByFacilityType(engine: Engine, state: ViewState): Promise<BoxGroup[]> {
	// The indicator is fixed here, so the indicator filter does not apply.
	const w = whereClause(state, CONDITION_FILTERS, { skip: ['ind'], extra: [`f.indicator = '${LIVING_SPACE}'`, 'f.value IS NOT NULL'] });
	const rows = await engine.query<BoxGroup>(
		`SELECT f.facility_type, count(*)::INTEGER AS n,
			quantile_cont(f.value, 0.05) AS p05, quantile_cont(f.value, 0.25) AS q1,
			quantile_cont(f.value, 0.5) AS median, quantile_cont(f.value, 0.75) AS q3,
			quantile_cont(f.value, 0.95) AS p95,
			avg(CASE WHEN f.value < ${CPT_LIVING_SPACE_M2} THEN 1.0 ELSE 0.0 END) AS below
		${FROM}${w.sql}
		GROUP BY f.facility_type ORDER BY f.facility_type NULLS LAST`,
		w.params
	);
	// Too few values for a box: keep the group and its n, drop the quantiles.
	return rows.map((r) => (r.n >= MIN_FINDINGS ? r : { ...r, p05: null, q1: null, median: null, q3: null, p95: null, below: null }));
}

export async function occupancyByYear(engine: Engine, state: ViewState, span: YearRange): Promise<OccupancyYear[]> {
	const w = whereClause(state, CONDITION_FILTERS, { skip: ['ind'], extra: [`f.indicator = '${OCCUPANCY}'`, 'f.value IS NOT NULL'] });
	const rows = await engine.query<OccupancyYear>(
		`SELECT year(f.visit_month)::INTEGER AS year, count(*)::INTEGER AS n,
			quantile_cont(f.value, 0.5) AS median,
			avg(CASE WHEN f.value > 1 THEN 1.0 ELSE 0.0 END) AS over
		${FROM}${w.sql}
		GROUP BY year(f.visit_month) ORDER BY year`,
		w.params
	);
	return fillYears(rows, { fromYear: state.from ?? span.fromYear, toYear: state.to ?? span.toYear });
}

/** One entry per year of the range; a year without visits has n = 0 and no values (a gap). */
export function fillYears(rows: OccupancyYear[], range: YearRange): OccupancyYear[] {
	const byYear = new Map(rows.map((r) => [r.year, r]));
	const out: OccupancyYear[] = [];
	for (let y = range.fromYear; y <= range.toYear; y++) out.push(byYear.get(y) ?? { year: y, n: 0, median: null, over: null });
	return out;
}

export async function withheldFindings(engine: Engine, state: ViewState): Promise<number> {
	const w = whereClause(state, CONDITION_FILTERS, { extra: ['(f.region_code IS NULL OR f.facility_type IS NULL)'] });
	const [r] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n ${FROM}${w.sql}`, w.params);
	return r?.n ?? 0;
}

/** Everything the Conditions page needs for one view state. */
export async function loadConditionsView(engine: Engine, state: ViewState, span?: YearRange): Promise<ConditionsView> {
	const s = span ?? (await conditionsYearSpan(engine));
	// One engine connection: run in sequence (the browser worker serialises anyway).
	const heatmap = await conditionsHeatmap(engine, state);
	const livingSpace = await livingSpaceByFacilityType(engine, state);
	const occupancy = await occupancyByYear(engine, state, s);
	const withheld = await withheldFindings(engine, state);
	return { span: s, heatmap, livingSpace, occupancy, withheld };
}
