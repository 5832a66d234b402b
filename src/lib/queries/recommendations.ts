/**
 * Recommendations: current status, implementation rate by year issued, time to implementation
 * (Kaplan-Meier) and the oldest open high-priority ones. Fixed SQL text; every value from the view
 * state is a bound parameter (filters.ts). One entry point: loadRecommendationsView(engine, state).
 *
 * Definitions used throughout:
 * - the data's last month ("cut-off") is max(status_month) over all recommendations, unfiltered;
 * - open = status not in (implemented, rejected);
 * - months between two month dates = (year*12 + month) difference, exact on 1st-of-month DATEs.
 */
import type { Engine } from '$lib/engine/types';
import type { SurvivalGroup, ViewState } from '$lib/state/view-state';
import { whereClause } from './filters';
import { atRiskAt, curvePoints, kaplanMeier, timeToShare, type KmCurve, type SurvivalObservation } from './kaplan-meier';

/** Columns of `recommendations` that the shared filters apply to (years: the year issued). */
export const RECOMMENDATION_FILTERS = {
	year: 'year(issued_month)',
	region: 'region_code',
	ftype: 'facility_type',
	theme: 'theme',
	addr: 'addressee',
	prio: 'priority',
	status: 'status'
} as const;

/** Fixed display order of statuses, from "nothing done" to "done", then the two outside the scale. */
export const STATUS_ORDER = ['not_started', 'in_progress', 'partially_implemented', 'implemented', 'rejected', 'no_information'] as const;
export type RecStatus = (typeof STATUS_ORDER)[number];

/** Months at which the number at risk is reported. */
export const AT_RISK_MONTHS = [0, 12, 24, 36] as const;
/** Shares implemented for which the time is reported (25%, median, 75%). */
export const KM_SHARES = [0.25, 0.5, 0.75] as const;

const MONTHS = (from: string, to: string) => `((year(${to}) * 12 + month(${to})) - (year(${from}) * 12 + month(${from})))`;
const CUTOFF_CTE = `WITH cutoff AS (SELECT max(status_month) AS last_month FROM recommendations)`;

export interface StatusCounts {
	/** Group code (region, addressee); null where the pipeline withheld it. */
	code: string | null;
	total: number;
	counts: Record<RecStatus, number>;
}

export interface ImplementationYear {
	year: number;
	issued: number;
	implemented: number;
	partially: number;
	/** implemented / issued */
	shareImplemented: number;
	/** (implemented + partially) / issued */
	shareImplementedOrPartially: number;
}

export interface SurvivalGroupResult {
	code: string;
	n: number;
	events: number;
	censored: number;
	/** Step points (months, share still not implemented) for d3.curveStepAfter. */
	points: { time: number; survival: number }[];
	/** Months by which 25 / 50 / 75% were implemented; null = not reached. */
	quantiles: (number | null)[];
	/** Numbers at risk at AT_RISK_MONTHS. */
	atRisk: number[];
}

export interface RecommendationSurvival {
	by: SurvivalGroup;
	groups: SurvivalGroupResult[];
}

export interface OldestOpenTheme {
	theme: string;
	open: number;
	oldestMonths: number;
	medianMonths: number;
}

export interface RecommendationsView {
	/** The data's last status month, 'yyyy-mm-dd'. */
	lastMonth: string | null;
	total: number;
	statusByRegion: StatusCounts[];
	statusByAddressee: StatusCounts[];
	byYear: ImplementationYear[];
	survival: RecommendationSurvival;
	oldestOpen: OldestOpenTheme[];
}

export interface YearSpan {
	fromYear: number;
	toYear: number;
}

export const REC_YEAR_SPAN_SQL = `SELECT min(year(issued_month))::INTEGER AS first, max(year(issued_month))::INTEGER AS last FROM recommendations`;

export async function recommendationYearSpan(engine: Engine): Promise<YearSpan> {
	const [r] = await engine.query<{ first: number; last: number }>(REC_YEAR_SPAN_SQL);
	return { fromYear: r.first, toYear: r.last };
}

type GroupStatusRow = { code: string | null; status: string; n: number };

function emptyCounts(): Record<RecStatus, number> {
	return Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<RecStatus, number>;
}

/** Rows of (group, status, n) -> one StatusCounts per group, groups ordered by code (NULL last). */
export function pivotStatus(rows: GroupStatusRow[]): StatusCounts[] {
	const groups = new Map<string | null, StatusCounts>();
	for (const r of rows) {
		let g = groups.get(r.code);
		if (!g) groups.set(r.code, (g = { code: r.code, total: 0, counts: emptyCounts() }));
		if ((STATUS_ORDER as readonly string[]).includes(r.status)) g.counts[r.status as RecStatus] += r.n;
		g.total += r.n;
	}
	return [...groups.values()].sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

// Two fixed texts: a column name cannot be a bound parameter.
const STATUS_BY_SQL = {
	region: `SELECT region_code AS code, status, count(*)::INTEGER AS n FROM recommendations{W} GROUP BY 1, 2`,
	addressee: `SELECT addressee AS code, status, count(*)::INTEGER AS n FROM recommendations{W} GROUP BY 1, 2`
} as const;

export async function statusBy(engine: Engine, by: 'region' | 'addressee', state: ViewState): Promise<StatusCounts[]> {
	const w = whereClause(state, RECOMMENDATION_FILTERS);
	return pivotStatus(await engine.query<GroupStatusRow>(STATUS_BY_SQL[by].replace('{W}', w.sql), w.params));
}

export async function implementationByYear(engine: Engine, state: ViewState): Promise<ImplementationYear[]> {
	const w = whereClause(state, RECOMMENDATION_FILTERS);
	const rows = await engine.query<{ year: number; issued: number; implemented: number; partially: number }>(
		`SELECT year(issued_month)::INTEGER AS year, count(*)::INTEGER AS issued,
			count(*) FILTER (WHERE status = 'implemented')::INTEGER AS implemented,
			count(*) FILTER (WHERE status = 'partially_implemented')::INTEGER AS partially
		FROM recommendations${w.sql} GROUP BY 1 ORDER BY 1`,
		w.params
	);
	return rows.map((r) => ({
		...r,
		shareImplemented: r.issued ? r.implemented / r.issued : 0,
		shareImplementedOrPartially: r.issued ? (r.implemented + r.partially) / r.issued : 0
	}));
}

/**
 * Durations for the survival curve, one row per (group, months, event) with a count.
 * Event: implemented_month is set (months = issue -> implementation). Otherwise censored at the
 * data's last month: open ones because they may still be implemented, rejected ones because a
 * rejection is not an implementation (they stay "not implemented" until the cut-off).
 */
const SURVIVAL_SQL = {
	addressee: `${CUTOFF_CTE}
		SELECT addressee AS grp, ${MONTHS('issued_month', 'coalesce(implemented_month, cutoff.last_month)')}::INTEGER AS months,
			(implemented_month IS NOT NULL) AS event, count(*)::INTEGER AS n
		FROM recommendations, cutoff{W} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
	priority: `${CUTOFF_CTE}
		SELECT priority AS grp, ${MONTHS('issued_month', 'coalesce(implemented_month, cutoff.last_month)')}::INTEGER AS months,
			(implemented_month IS NOT NULL) AS event, count(*)::INTEGER AS n
		FROM recommendations, cutoff{W} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
} as const;

export interface DurationRow {
	grp: string | null;
	months: number;
	event: boolean;
	n: number;
}

export function survivalGroups(rows: DurationRow[], order: readonly string[]): SurvivalGroupResult[] {
	const obs = new Map<string, SurvivalObservation[]>();
	for (const r of rows) {
		const key = r.grp ?? '';
		let list = obs.get(key);
		if (!list) obs.set(key, (list = []));
		list.push({ time: r.months, event: !!r.event, count: r.n });
	}
	const codes = [...obs.keys()].sort((a, b) => {
		const ia = order.indexOf(a);
		const ib = order.indexOf(b);
		return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
	});
	return codes.map((code) => summariseCurve(code, kaplanMeier(obs.get(code)!)));
}

export function summariseCurve(code: string, curve: KmCurve): SurvivalGroupResult {
	return {
		code,
		n: curve.n,
		events: curve.events,
		censored: curve.censored,
		points: curvePoints(curve),
		quantiles: KM_SHARES.map((p) => timeToShare(curve, p)),
		atRisk: AT_RISK_MONTHS.map((t) => atRiskAt(curve, t))
	};
}

export async function recommendationSurvival(engine: Engine, state: ViewState, groupOrder: readonly string[]): Promise<RecommendationSurvival> {
	const w = whereClause(state, RECOMMENDATION_FILTERS);
	const rows = await engine.query<DurationRow>(SURVIVAL_SQL[state.km].replace('{W}', w.sql), w.params);
	return { by: state.km, groups: survivalGroups(rows, groupOrder) };
}

/**
 * Open high-priority recommendations per theme: how many, the oldest and the median age in
 * months at the data's last month, longest median wait first. The priority filter does not apply (the chart is about "high").
 */
export async function oldestOpenByTheme(engine: Engine, state: ViewState): Promise<OldestOpenTheme[]> {
	const w = whereClause(state, RECOMMENDATION_FILTERS, {
		skip: ['prio'],
		extra: [`priority = 'high'`, `status NOT IN ('implemented', 'rejected')`]
	});
	return engine.query<OldestOpenTheme>(
		`${CUTOFF_CTE}, open AS (
			SELECT theme, ${MONTHS('issued_month', 'cutoff.last_month')} AS age FROM recommendations, cutoff${w.sql})
		SELECT theme, count(*)::INTEGER AS open, max(age)::INTEGER AS "oldestMonths", median(age)::DOUBLE AS "medianMonths"
		FROM open GROUP BY 1 ORDER BY "medianMonths" DESC, "oldestMonths" DESC, theme`,
		w.params
	);
}

/** Order of groups in the survival chart (the code lists' order). */
export const SURVIVAL_ORDER: Record<SurvivalGroup, readonly string[]> = {
	addressee: ['mia_penal', 'mia_police', 'knb', 'defence', 'health', 'labour_social', 'education'],
	priority: ['high', 'medium', 'low']
};

/** Everything the recommendations page needs for one view state. */
export async function loadRecommendationsView(engine: Engine, state: ViewState): Promise<RecommendationsView> {
	const w = whereClause(state, RECOMMENDATION_FILTERS);
	const [meta] = await engine.query<{ lastMonth: string | null; total: number }>(
		`${CUTOFF_CTE} SELECT any_value(cutoff.last_month) AS "lastMonth", (SELECT count(*)::INTEGER FROM recommendations${w.sql}) AS total FROM cutoff`,
		w.params
	);
	// Sequential on purpose: one DuckDB connection runs one query at a time anyway.
	const statusByRegion = await statusBy(engine, 'region', state);
	const statusByAddressee = await statusBy(engine, 'addressee', state);
	const byYear = await implementationByYear(engine, state);
	const survival = await recommendationSurvival(engine, state, SURVIVAL_ORDER[state.km]);
	const oldestOpen = await oldestOpenByTheme(engine, state);
	return { lastMonth: meta?.lastMonth ?? null, total: meta?.total ?? 0, statusByRegion, statusByAddressee, byYear, survival, oldestOpen };
}
