/**
 * The Allegations page: every query its charts need, as fixed SQL text with bound parameters, and
 * one `loadAllegationsView(engine, state)` that returns all of it. Pure: no Svelte, no DOM.
 *
 * NULLs are the anonymiser's suppressions (docs/data-pipeline.md, section 5): they are counted where the chart can
 * hold them (national totals, categories) and counted apart where it cannot (a record without a
 * year is not on a time axis, one without a quarter is not in a quarterly series), so the page can
 * say so in a note instead of dropping them silently.
 */
import { byCode as codeOrder } from '$lib/i18n/format';
import type { Engine } from '$lib/engine/types';
import type { Measure, Period, ViewState } from '$lib/state/view-state';
import { firstFullYear, regionByCode } from '$lib/state/reference';
import { slice, type Cube, type SliceRow } from '$lib/cubes/cube';
import { cubeWhere, type FilterKey } from './registry';
import { sliceAllegations } from './plan';
import type { RateColumn } from './rates';
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

// Denominators for the regions shown, from the region_year rollup. `regions` counts the regions
// with a figure, so a selection where one region lacks a figure for a year gives null, not an
// understated rate.
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

/** The denominator per year for the view's measure (or `column`) and regions (empty for counts). */
export function denominatorsFor(regionYear: Cube, state: ViewState, column?: RateColumn): Denominators {
	if (!column && state.measure === 'count') return new Map();
	column ??= state.measure === 'per_detainees' ? 'detainees' : 'residents';
	const rows = slice(regionYear, { where: cubeWhere(regionYear, state), by: ['year'], sum: [column, `n_${column}`] });
	const needed = state.region.length;
	return new Map(
		rows.map((r) => {
			const total = r[column] as number;
			const regions = r[`n_${column}`] as number;
			return [r.year as number, regions > 0 && total > 0 && (needed === 0 || regions >= needed) ? total : null];
		})
	);
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
	types.sort((a, b) => b.total - a.total || codeOrder(String(a.code), String(b.code)));
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
const REACHED: Record<Exclude<FunnelStage, 'registered'>, ReadonlySet<string>> = {
	under_investigation: new Set(['under_investigation', 'closed_no_crime', 'sent_to_court', 'conviction', 'acquittal']),
	sent_to_court: new Set(['sent_to_court', 'conviction', 'acquittal']),
	conviction: new Set(['conviction'])
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

type Counted = { code: string | null; n: number };
const counted = (rows: Record<string, unknown>[], dim: string): Counted[] => rows.map((r) => ({ code: r[dim] as string | null, n: r.n as number }));

/**
 * Every count of the page from the allegations rollup (one slice per chart, each a scan of small
 * integer codes in memory) and the rates' denominators from the region_year rollup.
 */
export async function loadAllegationsView(engine: Engine, state: ViewState, span?: YearRange): Promise<AllegationsView> {
	const s = span ?? (await allegationYearSpan(engine));
	const range = shownRange(state, s);
	// Withheld counts ignore the region and facility-type filters (they would exclude them by construction).
	const wide: FilterKey[] = ['region', 'ftype'];
	const [[timeRows, typeRows, outcomes, perp, channel, byRegion, byFtype, byYear], regionYear] = await Promise.all([
		sliceAllegations(engine, state, [
			{ by: state.period === 'quarter' ? ['year', 'quarter'] : ['year'] },
			{ by: ['year', 'atype'] },
			{ by: ['outcome'] },
			{ by: ['perp'] },
			{ by: ['channel'] },
			{ by: ['region'], skip: wide },
			{ by: ['ftype'], skip: wide },
			{ by: ['year'], skip: wide }
		]),
		state.measure === 'count' ? undefined : engine.cube('region_year')
	]);
	const time = timeRows.map((r) => ({ year: r.year as number | null, quarter: (r.quarter ?? null) as number | null, n: r.n as number }));
	const byType = typeRows.map((r) => ({ year: r.year as number | null, code: r.atype as string | null, n: r.n as number }));
	const stage = (reached: ReadonlySet<string> | null) =>
		outcomes.reduce((sum, r) => sum + (reached === null || (r.outcome !== null && reached.has(r.outcome as string)) ? (r.n as number) : 0), 0);
	const nullOf = (rows: SliceRow[], dim: string) => (rows.find((r) => r[dim] === null)?.n as number | undefined) ?? 0;
	return {
		span: s,
		range,
		overTime: shapeOverTime(state, s, time, regionYear ? denominatorsFor(regionYear, state) : new Map()),
		byType: shapeByType(state, s, byType),
		byPerpetrator: sortCategories(counted(perp, 'perp')),
		byChannel: sortCategories(counted(channel, 'channel')),
		outcomes: shapeFunnel({
			registered: stage(null),
			under_investigation: stage(REACHED.under_investigation),
			sent_to_court: stage(REACHED.sent_to_court),
			conviction: stage(REACHED.conviction)
		}),
		withheld: { region: nullOf(byRegion, 'region'), ftype: nullOf(byFtype, 'ftype'), year: nullOf(byYear, 'year') },
		newRegions: regionsNotYetCreated(state, range),
		regionFilter: [...state.region],
		ftypeFilter: [...state.ftype]
	};
}
