/**
 * The recommendations query module on the app's engine (DuckDB-WASM 0.9 in Node) over the released
 * demo data, against an independent computation: raw rows read by DuckDB 1.5 (@duckdb/node-api)
 * and every figure computed here in plain TypeScript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { createNodeEngine } from '../../src/lib/server/engine-node';
import type { Engine } from '../../src/lib/engine/types';
import { defaultState, type ViewState } from '../../src/lib/state/view-state';
import { kaplanMeier } from '../../src/lib/queries/kaplan-meier';
import {
	AT_RISK_MONTHS,
	KM_SHARES,
	STATUS_ORDER,
	loadRecommendationsView,
	pivotStatus,
	recommendationYearSpan,
	type RecommendationsView
} from '../../src/lib/queries/recommendations';
import { statusTable, survivalFromPoints, survivalSummary } from '../../src/lib/views/recommendations';

const DATA = path.resolve('static/data');

interface Rec {
	region_code: string | null;
	facility_type: string;
	issued: string;
	theme: string;
	addressee: string;
	priority: string;
	status: string;
	status_month: string;
	implemented: string | null;
}

let engine: Engine;
let recs: Rec[];

beforeAll(async () => {
	engine = await createNodeEngine({ dataDir: DATA });
	const inst = await DuckDBInstance.create(':memory:');
	const conn = await inst.connect();
	const reader = await conn.runAndReadAll(
		`SELECT region_code, facility_type, strftime(issued_month, '%Y-%m-%d') AS issued, theme, addressee, priority, status,
			strftime(status_month, '%Y-%m-%d') AS status_month, strftime(implemented_month, '%Y-%m-%d') AS implemented
		FROM read_parquet('${path.join(DATA, 'recommendations.parquet')}')`
	);
	recs = reader.getRowObjectsJS() as unknown as Rec[];
	conn.closeSync();
});
afterAll(() => engine?.close());

// ---- the independent computation --------------------------------------------------------------
const monthIndex = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7));
const yearOf = (iso: string) => Number(iso.slice(0, 4));

function filtered(s: ViewState, skipPrio = false): Rec[] {
	const inList = (list: string[], v: string | null) => !list.length || (v !== null && list.includes(v));
	return recs.filter(
		(r) =>
			(s.from === null || yearOf(r.issued) >= s.from) &&
			(s.to === null || yearOf(r.issued) <= s.to) &&
			inList(s.region, r.region_code) &&
			inList(s.ftype, r.facility_type) &&
			inList(s.theme, r.theme) &&
			inList(s.addr, r.addressee) &&
			(skipPrio || inList(s.prio, r.priority)) &&
			inList(s.status, r.status)
	);
}

function countBy<K>(rows: Rec[], key: (r: Rec) => K): Map<K, Rec[]> {
	const m = new Map<K, Rec[]>();
	for (const r of rows) {
		const k = key(r);
		const list = m.get(k);
		if (list) list.push(r);
		else m.set(k, [r]);
	}
	return m;
}

function expectedStatus(rows: Rec[], key: (r: Rec) => string | null) {
	return [...countBy(rows, key)]
		.map(([code, list]) => ({
			code,
			total: list.length,
			counts: Object.fromEntries(STATUS_ORDER.map((s) => [s, list.filter((r) => r.status === s).length]))
		}))
		.sort((a, b) => String(a.code ?? '\uffff').localeCompare(String(b.code ?? '\uffff')));
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** KM by hand on individual records, without kaplan-meier.ts's grouping by (time, event). */
function expectedSurvival(rows: Rec[], by: 'addressee' | 'priority', lastMonth: number) {
	const groups = countBy(rows, (r) => r[by]);
	const out = new Map<string, { n: number; events: number; quantiles: (number | null)[]; atRisk: number[] }>();
	for (const [code, list] of groups) {
		const obs = list.map((r) => ({ t: monthIndex(r.implemented ?? '') - monthIndex(r.issued), e: r.implemented !== null }));
		for (const o of obs) if (!o.e) o.t = 0;
		list.forEach((r, i) => {
			if (r.implemented === null) obs[i].t = lastMonth - monthIndex(r.issued);
		});
		const times = [...new Set(obs.filter((o) => o.e).map((o) => o.t))].sort((a, b) => a - b);
		let s = 1;
		const sAt: [number, number][] = [];
		for (const t of times) {
			const n = obs.filter((o) => o.t >= t).length;
			const d = obs.filter((o) => o.e && o.t === t).length;
			s *= 1 - d / n;
			sAt.push([t, s]);
		}
		out.set(code, {
			n: obs.length,
			events: obs.filter((o) => o.e).length,
			quantiles: KM_SHARES.map((p) => sAt.find(([, v]) => v <= 1 - p + 1e-12)?.[0] ?? null),
			atRisk: AT_RISK_MONTHS.map((t) => obs.filter((o) => o.t >= t).length)
		});
	}
	return out;
}

function check(got: RecommendationsView, s: ViewState) {
	const rows = filtered(s);
	const lastMonthIso = recs.reduce((a, r) => (r.status_month > a ? r.status_month : a), '');
	expect(got.lastMonth).toBe(lastMonthIso);
	expect(got.total).toBe(rows.length);
	expect(got.statusByRegion).toEqual(expectedStatus(rows, (r) => r.region_code));
	expect(got.statusByAddressee).toEqual(expectedStatus(rows, (r) => r.addressee));

	const years = [...countBy(rows, (r) => yearOf(r.issued))].sort(([a], [b]) => a - b);
	expect(got.byYear.map((y) => [y.year, y.issued, y.implemented, y.partially])).toEqual(
		years.map(([y, list]) => [y, list.length, list.filter((r) => r.status === 'implemented').length, list.filter((r) => r.status === 'partially_implemented').length])
	);
	for (const y of got.byYear) {
		expect(y.shareImplemented).toBeCloseTo(y.implemented / y.issued, 12);
		expect(y.shareImplementedOrPartially).toBeCloseTo((y.implemented + y.partially) / y.issued, 12);
	}

	const km = expectedSurvival(rows, s.km, monthIndex(lastMonthIso));
	expect(got.survival.by).toBe(s.km);
	expect(new Set(got.survival.groups.map((g) => g.code))).toEqual(new Set(km.keys()));
	for (const g of got.survival.groups) {
		const e = km.get(g.code)!;
		expect({ n: g.n, events: g.events, quantiles: g.quantiles, atRisk: g.atRisk }, g.code).toEqual(e);
		expect(g.censored).toBe(e.n - e.events);
	}

	const open = filtered(s, true).filter((r) => r.priority === 'high' && r.status !== 'implemented' && r.status !== 'rejected');
	const byTheme = [...countBy(open, (r) => r.theme)].map(([theme, list]) => {
		const ages = list.map((r) => monthIndex(lastMonthIso) - monthIndex(r.issued));
		return { theme, open: list.length, oldestMonths: Math.max(...ages), medianMonths: median(ages) };
	});
	expect([...got.oldestOpen].sort((a, b) => a.theme.localeCompare(b.theme))).toEqual(byTheme.sort((a, b) => a.theme.localeCompare(b.theme)));
	for (let i = 1; i < got.oldestOpen.length; i++) expect(got.oldestOpen[i - 1].medianMonths).toBeGreaterThanOrEqual(got.oldestOpen[i].medianMonths);
}

const STATES: [string, Partial<ViewState>][] = [
	['the default view', {}],
	['a year range', { from: 2017, to: 2020 }],
	['two regions, by priority', { region: ['KZ-75', 'KZ-71'], km: 'priority' }],
	['addressee + theme', { addr: ['mia_penal', 'health'], theme: ['sanitation', 'torture_prevention', 'legal_safeguards'] }],
	['priority filter (ignored by the oldest-open chart) and facility type', { prio: ['low', 'medium'], ftype: ['sizo', 'ivs'], km: 'priority' }],
	['status filter', { status: ['implemented', 'rejected', 'no_information'], from: 2019 }]
];

describe('loadRecommendationsView', () => {
	it.each(STATES)('equals an independent computation: %s', async (_, patch) => {
		const s = { ...defaultState(), ...patch };
		check(await loadRecommendationsView(engine, s), s);
	});

	it('returns nothing (but no error) when no record matches', async () => {
		const s = { ...defaultState(), from: 2099, to: 2099 };
		const got = await loadRecommendationsView(engine, s);
		expect(got.total).toBe(0);
		expect(got.statusByRegion).toEqual([]);
		expect(got.byYear).toEqual([]);
		expect(got.survival.groups).toEqual([]);
		expect(got.oldestOpen).toEqual([]);
	});

	it('gives the year span of issue', async () => {
		const years = recs.map((r) => yearOf(r.issued));
		expect(await recommendationYearSpan(engine)).toEqual({ fromYear: Math.min(...years), toYear: Math.max(...years) });
	});
});

describe('pivotStatus', () => {
	it('fills missing statuses with 0 and puts a withheld group (NULL) last', () => {
		const got = pivotStatus([
			{ code: null, status: 'implemented', n: 2 },
			{ code: 'KZ-75', status: 'rejected', n: 1 },
			{ code: 'KZ-11', status: 'implemented', n: 3 },
			{ code: 'KZ-11', status: 'in_progress', n: 4 }
		]);
		expect(got.map((g) => [g.code, g.total])).toEqual([
			['KZ-11', 7],
			['KZ-75', 1],
			[null, 2]
		]);
		expect(got[0].counts).toEqual({ not_started: 0, in_progress: 4, partially_implemented: 0, implemented: 3, rejected: 0, no_information: 0 });
	});
});

describe('the KM estimator agrees with the grouped durations', () => {
	it('kaplanMeier over individual records = over (time, event) counts', () => {
		const obs = recs.slice(0, 500).map((r) => ({ time: monthIndex(r.implemented ?? r.status_month) - monthIndex(r.issued), event: r.implemented !== null }));
		const grouped = new Map<string, { time: number; event: boolean; count: number }>();
		for (const o of obs) {
			const k = `${o.time}|${o.event}`;
			const g = grouped.get(k) ?? { ...o, count: 0 };
			g.count++;
			grouped.set(k, g);
		}
		expect(kaplanMeier([...grouped.values()]).steps).toEqual(kaplanMeier(obs).steps);
	});
});

describe('view helpers (tables and summaries)', () => {
	const g = (code: string, q50: number | null, points: { time: number; survival: number }[]) => ({
		code,
		n: 10,
		events: 5,
		censored: 5,
		points,
		quantiles: [1, q50, null],
		atRisk: [10, 5, 2, 0]
	});
	const labels = {
		months: (n: number) => `${n} mo`,
		pct: (s: number) => `${Math.round(s * 100)}%`,
		medians: ({ list }: { list: string }) => `Medians: ${list}.`,
		notReached: ({ list }: { list: string }) => `Not reached: ${list}.`,
		noneReached: () => 'None reached.',
		within: (p: { months: string; best: string; bestShare: string; worst: string; worstShare: string }) =>
			`Within ${p.months}: ${p.best} ${p.bestShare}, ${p.worst} ${p.worstShare}.`
	};

	it('survivalSummary lists medians (quickest first), the groups not reaching one, and the share within 24 months', () => {
		const groups = [
			g('a', null, [{ time: 0, survival: 1 }, { time: 10, survival: 0.7 }, { time: 40, survival: 0.7 }]),
			g('b', 12, [{ time: 0, survival: 1 }, { time: 12, survival: 0.4 }, { time: 30, survival: 0.4 }]),
			g('c', 6, [{ time: 0, survival: 1 }, { time: 6, survival: 0.5 }, { time: 30, survival: 0.5 }])
		];
		expect(survivalSummary(groups, (c) => c.toUpperCase(), labels)).toBe('Medians: C 6 mo; B 12 mo. Not reached: A. Within 24 mo: B 60%, A 30%.');
		expect(survivalSummary([groups[0]], (c) => c, labels)).toBe('None reached.');
	});

	it('survivalFromPoints reads a step curve', () => {
		const pts = [{ time: 0, survival: 1 }, { time: 5, survival: 0.8 }, { time: 9, survival: 0.8 }];
		expect([0, 4, 5, 9, 10].map((t) => survivalFromPoints(pts, t))).toEqual([1, 1, 0.8, 0.8, null]);
	});

	it('statusTable has one column per status in the fixed order and the share implemented', () => {
		const t = statusTable(
			pivotStatus([
				{ code: 'x', status: 'implemented', n: 1 },
				{ code: 'x', status: 'rejected', n: 3 }
			]),
			(c) => String(c),
			(s) => s,
			{ group: 'Group', total: 'Total', shareImplemented: 'Share' }
		);
		expect(t.columns.map((c) => c.key)).toEqual(['group', 'total', ...STATUS_ORDER, 'share_implemented']);
		expect(t.rows[0]).toMatchObject({ group: 'x', total: 4, implemented: 1, rejected: 3, share_implemented: 0.25 });
	});
});
