/**
 * Recommendations: current status, implementation rate by year issued, time to implementation
 * (Kaplan-Meier) and the oldest open high-priority ones. Fixed SQL text; every value from the view
 * Everything is computed from the `recommendations` rollup (counts per year issued, region, facility
 * type, theme, addressee, priority, status and months to implementation or to the cut-off).
 * One entry point: loadRecommendationsView(engine, state).
 *
 * Definitions used throughout:
 * - the data's last month ("cut-off") is max(status_month) over all recommendations, unfiltered;
 * - open = status not in (implemented, rejected);
 * - months between two month dates = (year*12 + month) difference, exact on 1st-of-month DATEs.
 */
import { byCode } from '$lib/i18n/format';
import type { Engine } from '$lib/engine/types';
import type { SurvivalGroup, ViewState } from '$lib/state/view-state';
import { slice, sliceMany, weightedQuantile, type Cube, type SliceRow } from '$lib/cubes/cube';
import { cubeYearSpan } from './allegations-by-year';
import { cubeWhere, TABLE_FILTERS } from './registry';
import { atRiskAt, curvePoints, kaplanMeier, timeToShare, type KmCurve, type SurvivalObservation } from './kaplan-meier';

/** Columns of the recommendations microdata the shared filters apply to (the registry's). */
export const RECOMMENDATION_FILTERS = TABLE_FILTERS.recommendations;

/** Fixed display order of statuses, from "nothing done" to "done", then the two outside the scale. */
export const STATUS_ORDER = ['not_started', 'in_progress', 'partially_implemented', 'implemented', 'rejected', 'no_information'] as const;
export type RecStatus = (typeof STATUS_ORDER)[number];

/** Months at which the number at risk is reported. */
export const AT_RISK_MONTHS = [0, 12, 24, 36] as const;
/** Shares implemented for which the time is reported (25%, median, 75%). */
export const KM_SHARES = [0.25, 0.5, 0.75] as const;


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

export async function recommendationYearSpan(engine: Engine): Promise<YearSpan> {
	return cubeYearSpan(await engine.cube('recommendations'));
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

const statusDim = (by: 'region' | 'addressee') => (by === 'region' ? 'region' : 'addr');
const statusFromRows = (rows: SliceRow[], dim: string) => pivotStatus(rows.map((r) => ({ code: r[dim] as string | null, status: r.status as string, n: r.n as number })));

export function statusFromCube(cube: Cube, by: 'region' | 'addressee', state: ViewState): StatusCounts[] {
	const dim = statusDim(by);
	return statusFromRows(slice(cube, { where: cubeWhere(cube, state), by: [dim, 'status'] }), dim);
}

export async function statusBy(engine: Engine, by: 'region' | 'addressee', state: ViewState): Promise<StatusCounts[]> {
	return statusFromCube(await engine.cube('recommendations'), by, state);
}

export function implementationFromCube(cube: Cube, state: ViewState): ImplementationYear[] {
	return implementationFromRows(slice(cube, { where: cubeWhere(cube, state), by: ['year', 'status'] }));
}

function implementationFromRows(rows: SliceRow[]): ImplementationYear[] {
	const years = new Map<number, { year: number; issued: number; implemented: number; partially: number }>();
	for (const r of rows) {
		if (r.year === null) continue;
		const y = r.year as number;
		let e = years.get(y);
		if (!e) years.set(y, (e = { year: y, issued: 0, implemented: 0, partially: 0 }));
		e.issued += r.n as number;
		if (r.status === 'implemented') e.implemented += r.n as number;
		if (r.status === 'partially_implemented') e.partially += r.n as number;
	}
	return [...years.values()].map((r) => ({
		...r,
		shareImplemented: r.issued ? r.implemented / r.issued : 0,
		shareImplementedOrPartially: r.issued ? (r.implemented + r.partially) / r.issued : 0
	}));
}

export async function implementationByYear(engine: Engine, state: ViewState): Promise<ImplementationYear[]> {
	return implementationFromCube(await engine.cube('recommendations'), state);
}

/**
 * Durations for the survival curve, one row per (group, months, event) with a count.
 * Event: implemented_month is set (months = issue -> implementation). Otherwise censored at the
 * data's last month: open ones because they may still be implemented, rejected ones because a
 * rejection is not an implementation (they stay "not implemented" until the cut-off).
 * The rollup holds exactly these months (src/lib/cubes/definitions.ts).
 */
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
		return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || byCode(a, b);
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

const survivalDim = (state: ViewState) => (state.km === 'addressee' ? 'addr' : 'prio');

export function survivalFromCube(cube: Cube, state: ViewState, groupOrder: readonly string[]): RecommendationSurvival {
	const dim = survivalDim(state);
	return survivalFromRows(slice(cube, { where: cubeWhere(cube, state), by: [dim, 'months', 'event'] }), dim, state, groupOrder);
}

function survivalFromRows(sliced: SliceRow[], dim: string, state: ViewState, groupOrder: readonly string[]): RecommendationSurvival {
	const rows = sliced.map(
		(r): DurationRow => ({ grp: r[dim] as string | null, months: r.months as number, event: r.event === 1, n: r.n as number })
	);
	return { by: state.km, groups: survivalGroups(rows, groupOrder) };
}

export async function recommendationSurvival(engine: Engine, state: ViewState, groupOrder: readonly string[]): Promise<RecommendationSurvival> {
	return survivalFromCube(await engine.cube('recommendations'), state, groupOrder);
}

const CLOSED = new Set(['implemented', 'rejected']);

/**
 * Open high-priority recommendations per theme: how many, the oldest and the median age in
 * months at the data's last month, longest median wait first. The priority filter does not apply (the chart is about "high").
 * An open recommendation has no implementation month, so its rollup months are its age.
 */
const oldestOpenWhere = (cube: Cube, state: ViewState) =>
	cubeWhere(cube, state, { skip: ['prio'], keep: { prio: (v) => v === 'high', status: (v) => v !== null && !CLOSED.has(v as string) } });

export function oldestOpenFromCube(cube: Cube, state: ViewState): OldestOpenTheme[] {
	return oldestOpenFromRows(slice(cube, { where: oldestOpenWhere(cube, state), by: ['theme', 'months'] }));
}

function oldestOpenFromRows(rows: SliceRow[]): OldestOpenTheme[] {
	const themes = new Map<string, { value: number; count: number }[]>();
	for (const r of rows) {
		const key = r.theme as string;
		let list = themes.get(key);
		if (!list) themes.set(key, (list = []));
		list.push({ value: r.months as number, count: r.n as number });
	}
	return [...themes]
		.map(([theme, list]) => ({
			theme,
			open: list.reduce((s, v) => s + v.count, 0),
			oldestMonths: Math.max(...list.map((v) => v.value)),
			medianMonths: weightedQuantile(list, 0.5) as number
		}))
		.sort((a, b) => b.medianMonths - a.medianMonths || b.oldestMonths - a.oldestMonths || (a.theme < b.theme ? -1 : a.theme > b.theme ? 1 : 0));
}

export async function oldestOpenByTheme(engine: Engine, state: ViewState): Promise<OldestOpenTheme[]> {
	return oldestOpenFromCube(await engine.cube('recommendations'), state);
}

/** Order of groups in the survival chart (the code lists' order). */
export const SURVIVAL_ORDER: Record<SurvivalGroup, readonly string[]> = {
	addressee: ['mia_penal', 'mia_police', 'knb', 'defence', 'health', 'labour_social', 'education'],
	priority: ['high', 'medium', 'low']
};

/** Everything the recommendations page needs for one view state. */
export async function loadRecommendationsView(engine: Engine, state: ViewState): Promise<RecommendationsView> {
	return recommendationsViewFromCube(await engine.cube('recommendations'), state);
}

/** The whole page in one pass over the rollup (sliceMany), rather than one pass per chart. */
export function recommendationsViewFromCube(cube: Cube, state: ViewState): RecommendationsView {
	const where = cubeWhere(cube, state);
	const survDim = survivalDim(state);
	const [total, byRegion, byAddressee, byYear, survival, oldestOpen] = sliceMany(cube, [
		{ where, sum: ['n'] },
		{ where, by: [statusDim('region'), 'status'] },
		{ where, by: [statusDim('addressee'), 'status'] },
		{ where, by: ['year', 'status'] },
		{ where, by: [survDim, 'months', 'event'] },
		{ where: oldestOpenWhere(cube, state), by: ['theme', 'months'] }
	]);
	return {
		lastMonth: cube.meta.lastMonth ?? null,
		total: total[0].n as number,
		statusByRegion: statusFromRows(byRegion, statusDim('region')),
		statusByAddressee: statusFromRows(byAddressee, statusDim('addressee')),
		byYear: implementationFromRows(byYear),
		survival: survivalFromRows(survival, survDim, state, SURVIVAL_ORDER[state.km]),
		oldestOpen: oldestOpenFromRows(oldestOpen)
	};
}
