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

type TimeRow = { year: number | null; quarter?: number | null; n: number };
type Denominators = Map<number, number | null>;

/** The denominator per year for the view's measure and regions (empty for counts). */
async function denominatorsFor(engine: Engine, state: ViewState): Promise<Denominators> {
	if (state.measure === 'count') return new Map();
	const column = state.measure === 'per_detainees' ? 'detainees' : 'residents';
	const dw = whereClause(state, { year: 'year', region: 'region_code' });
	const d = await engine.query<{ year: number; total: number | null; regions: number }>(DENOMINATOR_SQL(dw.sql, column), dw.params);
	const needed = state.region.length;
	return new Map(d.map((r) => [r.year, r.total != null && r.total > 0 && (needed === 0 || r.regions >= needed) ? r.total : null]));
}

/** Counts per year (or year and quarter) -> the series, with what could not be placed counted apart. */
function shapeOverTime(state: ViewState, span: YearRange, rows: TimeRow[], denominators: Denominators): OverTime {
	const years = yearsOf(shownRange(state, span));
	const quarterly = state.period === 'quarter';
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

function shapeByType(state: ViewState, span: YearRange, rows: { year: number | null; code: string | null; n: number }[]): ByType {
	const years = yearsOf(shownRange(state, span));
	const yi = new Map(years.map((y, i) => [y, i]));
	const byCode = new Map<string | null, number[]>();
	for (const r of rows) {
		const i = r.year == null ? undefined : yi.get(r.year);
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

/** Largest first; ties by code, a withheld (null) code last. */
function sortCategories(rows: CategoryCount[]): CategoryCount[] {
	const key = (c: string | null) => (c == null ? '\uffff' : c);
	return [...rows].sort((a, b) => b.n - a.n || (key(a.code) < key(b.code) ? -1 : key(a.code) > key(b.code) ? 1 : 0));
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
const REACHED = {
	under_investigation: `outcome IN ('under_investigation', 'closed_no_crime', 'sent_to_court', 'conviction', 'acquittal')`,
	sent_to_court: `outcome IN ('sent_to_court', 'conviction', 'acquittal')`,
	conviction: `outcome = 'conviction'`
};

export interface FunnelStep {
	stage: FunnelStage;
	n: number;
	/** Share of registered allegations that reached this stage (null when none were registered). */
	share: number | null;
}

function shapeFunnel(r: Record<FunnelStage, number> | undefined): FunnelStep[] {
	const total = r?.registered ?? 0;
	return FUNNEL_STAGES.map((stage) => ({ stage, n: r?.[stage] ?? 0, share: total ? (r![stage] ?? 0) / total : null }));
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

/**
 * Every count of the page in one scan of the allegations (GROUPING SETS: DuckDB aggregates all sets
 * in one pass), which matters once the table has millions of rows and is read from the network.
 * Sets: (year, quarter) for the series, (year, type) for the small multiples, perpetrator,
 * channel, and the grand total with the funnel stages and the withheld values.
 */
const PAGE_SQL = (w: string) => `SELECT
	GROUPING(report_year)::INTEGER AS g_year, GROUPING(report_quarter)::INTEGER AS g_quarter, GROUPING(allegation_type)::INTEGER AS g_type,
	GROUPING(perpetrator)::INTEGER AS g_perp, GROUPING(channel)::INTEGER AS g_channel,
	report_year AS year, report_quarter AS quarter, allegation_type AS type, perpetrator AS perp, channel,
	count(*) AS n,
	count(*) FILTER (WHERE ${REACHED.under_investigation}) AS under_investigation,
	count(*) FILTER (WHERE ${REACHED.sent_to_court}) AS sent_to_court,
	count(*) FILTER (WHERE ${REACHED.conviction}) AS conviction,
	count(*) FILTER (WHERE region_code IS NULL) AS region_null,
	count(*) FILTER (WHERE facility_type IS NULL) AS ftype_null,
	count(*) FILTER (WHERE report_year IS NULL) AS year_null
FROM allegations${w}
GROUP BY GROUPING SETS ((report_year, report_quarter), (report_year, allegation_type), (perpetrator), (channel), ())`;

interface PageRow {
	g_year: number;
	g_quarter: number;
	g_type: number;
	g_perp: number;
	g_channel: number;
	year: number | null;
	quarter: number | null;
	type: string | null;
	perp: string | null;
	channel: string | null;
	n: number;
	under_investigation: number;
	sent_to_court: number;
	conviction: number;
	region_null: number;
	ftype_null: number;
	year_null: number;
}

/**
 * One scan for all the counts, one small query for the rate's denominators, and a second scan only
 * when a region or facility-type filter is set (the withheld counts ignore those two filters).
 */
export async function loadAllegationsView(engine: Engine, state: ViewState, span?: YearRange): Promise<AllegationsView> {
	const s = span ?? (await allegationYearSpan(engine));
	const range = shownRange(state, s);
	const w = whereClause(state, ALLEGATION_FILTERS);
	const rows = await engine.query<PageRow>(PAGE_SQL(w.sql), w.params);
	const denominators = await denominatorsFor(engine, state);
	const time = rows.filter((r) => !r.g_year && !r.g_quarter);
	const byType = rows.filter((r) => !r.g_year && !r.g_type);
	const total = rows.find((r) => r.g_year && r.g_quarter && r.g_type && r.g_perp && r.g_channel);
	const withheld =
		state.region.length || state.ftype.length
			? await withheldCounts(engine, state)
			: { region: total?.region_null ?? 0, ftype: total?.ftype_null ?? 0, year: total?.year_null ?? 0 };
	return {
		span: s,
		range,
		overTime: shapeOverTime(state, s, time, denominators),
		byType: shapeByType(state, s, byType.map((r) => ({ year: r.year, code: r.type, n: r.n }))),
		byPerpetrator: sortCategories(rows.filter((r) => !r.g_perp).map((r) => ({ code: r.perp, n: r.n }))),
		byChannel: sortCategories(rows.filter((r) => !r.g_channel).map((r) => ({ code: r.channel, n: r.n }))),
		outcomes: shapeFunnel(total && { registered: total.n, under_investigation: total.under_investigation, sent_to_court: total.sent_to_court, conviction: total.conviction }),
		withheld,
		newRegions: regionsNotYetCreated(state, range),
		regionFilter: [...state.region],
		ftypeFilter: [...state.ftype]
	};
}
