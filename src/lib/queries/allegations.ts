/**
 * The Allegations page: every query its charts need, as fixed SQL text with bound parameters, and
 * one `loadAllegationsView(engine, state)` that returns all of it. Pure: no Svelte, no DOM.
 *
 * NULLs are the anonymiser's suppressions (data-model.md): they are counted where the chart can
 * hold them (national totals, categories) and counted apart where it cannot (a record without a
 * year is not on a time axis, one without a quarter is not in a quarterly series), so the page can
 * say so in a note instead of dropping them silently.
 */
import type { Engine, SqlParam } from '$lib/engine/types';
import type { Measure, Period, ViewState } from '$lib/state/view-state';
import { firstFullYear, regionByCode } from '$lib/state/reference';
import { whereClause } from './filters';
import { ALLEGATION_FILTERS, allegationYearSpan, type YearRange } from './allegations-by-year';

export { ALLEGATION_FILTERS };

/** Rates per this many people: detainees per 1,000, residents per 100,000. */
export const RATE_BASE: Record<Exclude<Measure, 'count'>, number> = { per_detainees: 1_000, per_residents: 100_000 };

// ---------------------------------------------------------------------------------------------
// 1. Over time

export interface TimePoint {
	/** Numeric x: the year, or year + (quarter - 1) / 4. */
	x: number;
	year: number;
	/** 1-4 in quarterly views, null in yearly ones. */
	quarter: number | null;
	/** null for a year outside the data's span (no record can exist there: not a zero). */
	count: number | null;
	/** The denominator for the year (detainees or residents of the regions shown); null if missing or a count view. */
	denominator: number | null;
	/** count / denominator * base; null when the denominator is missing (never a false zero). */
	value: number | null;
}

export interface OverTime {
	measure: Measure;
	period: Period;
	points: TimePoint[];
	/** Quarterly view: records per year whose quarter was withheld (not in any quarter). */
	quarterWithheld: { year: number; n: number }[];
	/** Records whose report year was withheld: they cannot be placed on the time axis. */
	yearWithheld: number;
}

const BY_YEAR_SQL = (w: string) => `SELECT report_year AS year, count(*) AS n FROM allegations${w} GROUP BY report_year ORDER BY year`;
const BY_QUARTER_SQL = (w: string) =>
	`SELECT report_year AS year, report_quarter AS quarter, count(*) AS n FROM allegations${w} GROUP BY report_year, report_quarter ORDER BY year, quarter`;
// Denominators for the regions shown. `complete` counts the regions with a row, so a selection
// where one region lacks a figure for a year gives null, not an understated rate.
const DENOMINATOR_SQL = (w: string, column: 'detainees' | 'residents') =>
	`SELECT year, sum(${column})::DOUBLE AS total, count(${column}) AS regions FROM region_year${w} GROUP BY year ORDER BY year`;

function yearsOf(range: YearRange): number[] {
	const years: number[] = [];
	for (let y = range.fromYear; y <= range.toYear; y++) years.push(y);
	return years;
}

export function shownRange(state: ViewState, span: YearRange): YearRange {
	return { fromYear: state.from ?? span.fromYear, toYear: state.to ?? span.toYear };
}

export async function allegationsOverTime(engine: Engine, state: ViewState, span: YearRange): Promise<OverTime> {
	const w = whereClause(state, ALLEGATION_FILTERS);
	const range = shownRange(state, span);
	const years = yearsOf(range);
	const quarterly = state.period === 'quarter';
	const rows = await engine.query<{ year: number | null; quarter?: number | null; n: number }>(quarterly ? BY_QUARTER_SQL(w.sql) : BY_YEAR_SQL(w.sql), w.params);

	let denominators = new Map<number, number | null>();
	if (state.measure !== 'count') {
		const column = state.measure === 'per_detainees' ? 'detainees' : 'residents';
		const dw = whereClause(state, { year: 'year', region: 'region_code' });
		const d = await engine.query<{ year: number; total: number | null; regions: number }>(DENOMINATOR_SQL(dw.sql, column), dw.params);
		const needed = state.region.length;
		denominators = new Map(d.map((r) => [r.year, r.total != null && r.total > 0 && (needed === 0 || r.regions >= needed) ? r.total : null]));
	}
	const base = state.measure === 'count' ? 1 : RATE_BASE[state.measure];
	const point = (year: number, quarter: number | null, n: number): TimePoint => {
		const count = year < span.fromYear || year > span.toYear ? null : n;
		const denominator = state.measure === 'count' ? null : (denominators.get(year) ?? null);
		const value = count == null ? null : state.measure === 'count' ? count : denominator == null ? null : (count / denominator) * base;
		return { x: quarter == null ? year : year + (quarter - 1) / 4, year, quarter, count, denominator, value };
	};

	const counts = new Map<string, number>();
	const quarterWithheld = new Map<number, number>();
	let yearWithheld = 0;
	for (const r of rows) {
		if (r.year == null) {
			yearWithheld += r.n;
			continue;
		}
		if (quarterly && r.quarter == null) {
			quarterWithheld.set(r.year, (quarterWithheld.get(r.year) ?? 0) + r.n);
			continue;
		}
		const key = quarterly ? `${r.year}-${r.quarter}` : String(r.year);
		counts.set(key, (counts.get(key) ?? 0) + r.n);
	}
	const points = quarterly
		? years.flatMap((y) => [1, 2, 3, 4].map((q) => point(y, q, counts.get(`${y}-${q}`) ?? 0)))
		: years.map((y) => point(y, null, counts.get(String(y)) ?? 0));
	return {
		measure: state.measure,
		period: state.period,
		points,
		quarterWithheld: years.filter((y) => quarterWithheld.has(y)).map((y) => ({ year: y, n: quarterWithheld.get(y)! })),
		yearWithheld
	};
}

// ---------------------------------------------------------------------------------------------
// 2. By allegation type over time

export interface ByType {
	years: number[];
	/** One series per type that occurs, ordered by total (largest first); a withheld type is 'null'. */
	types: { code: string | null; counts: number[]; total: number }[];
}

const BY_TYPE_SQL = (w: string) =>
	`SELECT report_year AS year, allegation_type AS code, count(*) AS n FROM allegations${w} GROUP BY report_year, allegation_type`;

export async function allegationsByType(engine: Engine, state: ViewState, span: YearRange): Promise<ByType> {
	const w = whereClause(state, ALLEGATION_FILTERS, { extra: ['report_year IS NOT NULL'] });
	const rows = await engine.query<{ year: number; code: string | null; n: number }>(BY_TYPE_SQL(w.sql), w.params);
	const years = yearsOf(shownRange(state, span));
	const yi = new Map(years.map((y, i) => [y, i]));
	const byCode = new Map<string | null, number[]>();
	for (const r of rows) {
		const i = yi.get(r.year);
		if (i === undefined) continue;
		if (!byCode.has(r.code)) byCode.set(r.code, years.map(() => 0));
		byCode.get(r.code)![i] += r.n;
	}
	const types = [...byCode].map(([code, counts]) => ({ code, counts, total: counts.reduce((a, b) => a + b, 0) }));
	types.sort((a, b) => b.total - a.total || String(a.code).localeCompare(String(b.code)));
	return { years, types };
}

// ---------------------------------------------------------------------------------------------
// 3-4. Categories (perpetrator, channel)

export interface CategoryCount {
	/** The code; null where it was withheld. */
	code: string | null;
	n: number;
}

const BY_PERPETRATOR_SQL = (w: string) => `SELECT perpetrator AS code, count(*) AS n FROM allegations${w} GROUP BY perpetrator ORDER BY n DESC, code NULLS LAST`;
const BY_CHANNEL_SQL = (w: string) => `SELECT channel AS code, count(*) AS n FROM allegations${w} GROUP BY channel ORDER BY n DESC, code NULLS LAST`;

export async function allegationsByPerpetrator(engine: Engine, state: ViewState): Promise<CategoryCount[]> {
	const w = whereClause(state, ALLEGATION_FILTERS);
	return engine.query<CategoryCount>(BY_PERPETRATOR_SQL(w.sql), w.params);
}

export async function allegationsByChannel(engine: Engine, state: ViewState): Promise<CategoryCount[]> {
	const w = whereClause(state, ALLEGATION_FILTERS);
	return engine.query<CategoryCount>(BY_CHANNEL_SQL(w.sql), w.params);
}

// ---------------------------------------------------------------------------------------------
// 5. Outcomes as a funnel

export const FUNNEL_STAGES = ['registered', 'under_investigation', 'sent_to_court', 'conviction'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/**
 * Each allegation counts at every stage it reached: every record was registered; closing without
 * a crime happens after an investigation; an acquittal means the case reached court. A withheld
 * outcome (NULL) counts as registered only.
 */
const FUNNEL_SQL = (w: string) => `SELECT
	count(*) AS registered,
	count(*) FILTER (WHERE outcome IN ('under_investigation', 'closed_no_crime', 'sent_to_court', 'conviction', 'acquittal')) AS under_investigation,
	count(*) FILTER (WHERE outcome IN ('sent_to_court', 'conviction', 'acquittal')) AS sent_to_court,
	count(*) FILTER (WHERE outcome = 'conviction') AS conviction
FROM allegations${w}`;

export interface FunnelStep {
	stage: FunnelStage;
	n: number;
	/** Share of registered allegations that reached this stage (null when none were registered). */
	share: number | null;
}

export async function allegationOutcomes(engine: Engine, state: ViewState): Promise<FunnelStep[]> {
	const w = whereClause(state, ALLEGATION_FILTERS);
	const [r] = await engine.query<Record<FunnelStage, number>>(FUNNEL_SQL(w.sql), w.params);
	const total = r?.registered ?? 0;
	return FUNNEL_STAGES.map((stage) => ({ stage, n: r?.[stage] ?? 0, share: total ? (r[stage] ?? 0) / total : null }));
}

// ---------------------------------------------------------------------------------------------
// Withheld values and regions that did not exist yet

export interface Withheld {
	/** Records (under the filters other than region/type) whose region was withheld. */
	region: number;
	/** ... whose facility type was withheld. */
	ftype: number;
	/** Records (under all filters) whose year was withheld. */
	year: number;
}

const WITHHELD_SQL = (w: string) =>
	`SELECT count(*) FILTER (WHERE region_code IS NULL) AS region, count(*) FILTER (WHERE facility_type IS NULL) AS ftype, count(*) FILTER (WHERE report_year IS NULL) AS year FROM allegations${w}`;

/**
 * How many records a region or facility-type filter cannot place because the value was withheld.
 * The filter on the column itself is skipped (it would exclude them by construction).
 */
export async function withheldCounts(engine: Engine, state: ViewState): Promise<Withheld> {
	const w = whereClause(state, ALLEGATION_FILTERS, { skip: ['region', 'ftype'] });
	const [r] = await engine.query<Withheld>(WITHHELD_SQL(w.sql), w.params as SqlParam[]);
	return { region: r?.region ?? 0, ftype: r?.ftype ?? 0, year: r?.year ?? 0 };
}

export interface NewRegion {
	code: string;
	/** ISO date the unit was created. */
	created: string;
	firstFullYear: number;
}

/** Selected regions (or, with none selected, none) that did not yet exist in part of the years shown. */
export function regionsNotYetCreated(state: ViewState, range: YearRange): NewRegion[] {
	return state.region
		.map((code) => ({ code, created: regionByCode.get(code)?.created ?? null, firstFullYear: firstFullYear(code) }))
		.filter((r): r is NewRegion => r.created != null && r.firstFullYear != null && r.firstFullYear > range.fromYear);
}

// ---------------------------------------------------------------------------------------------
// Everything the page needs

export interface AllegationsView {
	span: YearRange;
	range: YearRange;
	overTime: OverTime;
	byType: ByType;
	byPerpetrator: CategoryCount[];
	byChannel: CategoryCount[];
	outcomes: FunnelStep[];
	withheld: Withheld;
	newRegions: NewRegion[];
	/** The state's region filter (codes), echoed so views can word their notes. */
	regionFilter: string[];
	ftypeFilter: string[];
}

/** Runs the queries one after another: the engine has one connection, and order keeps it simple. */
export async function loadAllegationsView(engine: Engine, state: ViewState, span?: YearRange): Promise<AllegationsView> {
	const s = span ?? (await allegationYearSpan(engine));
	const range = shownRange(state, s);
	return {
		span: s,
		range,
		overTime: await allegationsOverTime(engine, state, s),
		byType: await allegationsByType(engine, state, s),
		byPerpetrator: await allegationsByPerpetrator(engine, state),
		byChannel: await allegationsByChannel(engine, state),
		outcomes: await allegationOutcomes(engine, state),
		withheld: await withheldCounts(engine, state),
		newRegions: regionsNotYetCreated(state, range),
		regionFilter: [...state.region],
		ftypeFilter: [...state.ftype]
	};
}
