/**
 * The Conditions queries on the app's engine (DuckDB-WASM 0.9 in Node) over the released demo data
 * (static/data), against plain TypeScript over the same rows read by a different engine
 * (@duckdb/node-api, DuckDB 1.5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { createNodeEngine } from '../../src/lib/server/engine-node';
import type { Engine } from '../../src/lib/engine/types';
import {
	CPT_LIVING_SPACE_M2,
	MIN_FINDINGS,
	fillYears,
	loadConditionsView,
	type BoxGroup,
	type HeatmapCell,
	type OccupancyYear
} from '../../src/lib/queries/conditions';
import { defaultState, type ViewState } from '../../src/lib/state/view-state';
import { heatmapColumns, heatmapExtremes, heatmapRows, heatmapTable, livingSpaceExtremes, occupancyEnds } from '../../src/lib/views/conditions';

const DATA = 'static/data';

interface FindingRow {
	region_code: string | null;
	facility_type: string | null;
	authority: string | null;
	year: number;
	indicator: string;
	value: number | null;
	meets_standard: boolean | null;
}

let engine: Engine;
let findings: FindingRow[];

beforeAll(async () => {
	engine = await createNodeEngine({ dataDir: DATA });
	const inst = await DuckDBInstance.create(':memory:');
	const conn = await inst.connect();
	const file = (t: string) => `read_parquet('${path.resolve(DATA, t + '.parquet')}')`;
	// Only reading rows here: every aggregate below is computed in TypeScript.
	const reader = await conn.runAndReadAll(
		`SELECT f.region_code, f.facility_type, v.authority, year(f.visit_month)::INTEGER AS year, f.indicator, f.value, f.meets_standard
		FROM ${file('findings')} f LEFT JOIN ${file('visits')} v ON v.visit_id = f.visit_id`
	);
	findings = reader.getRowObjectsJS() as unknown as FindingRow[];
	conn.closeSync();
});
afterAll(() => engine?.close());

/** Linear-interpolation quantile of sorted values (R type 7, DuckDB quantile_cont). */
function quantile(sorted: number[], p: number): number {
	const h = (sorted.length - 1) * p;
	const lo = Math.floor(h);
	const hi = Math.ceil(h);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo);
}

function matches(r: FindingRow, s: ViewState, skipInd = false): boolean {
	if (s.from !== null && r.year < s.from) return false;
	if (s.to !== null && r.year > s.to) return false;
	if (s.region.length && !s.region.includes(r.region_code as string)) return false;
	if (s.ftype.length && !s.ftype.includes(r.facility_type as string)) return false;
	if (s.auth.length && !s.auth.includes(r.authority as string)) return false;
	if (!skipInd && s.ind.length && !s.ind.includes(r.indicator)) return false;
	return true;
}

function group<K>(rows: FindingRow[], key: (r: FindingRow) => K): Map<K, FindingRow[]> {
	const m = new Map<K, FindingRow[]>();
	for (const r of rows) {
		const k = key(r);
		m.set(k, [...(m.get(k) ?? []), r]);
	}
	return m;
}

function expectedHeatmap(s: ViewState): HeatmapCell[] {
	const cells: HeatmapCell[] = [];
	for (const [k, rs] of group(findings.filter((r) => matches(r, s)), (r) => `${r.region_code ?? ''}|${r.indicator}`)) {
		const [region, indicator] = k.split('|');
		const judged = rs.filter((r) => r.meets_standard !== null);
		const met = judged.filter((r) => r.meets_standard).length;
		cells.push({ region_code: region || null, indicator, n: judged.length, met, share: judged.length >= MIN_FINDINGS ? met / judged.length : null });
	}
	return cells;
}

function expectedLivingSpace(s: ViewState): BoxGroup[] {
	const rows = findings.filter((r) => r.indicator === 'living_space_m2' && r.value !== null && matches(r, s, true));
	return [...group(rows, (r) => r.facility_type)].map(([ft, rs]) => {
		const v = rs.map((r) => r.value as number).sort((a, b) => a - b);
		const enough = v.length >= MIN_FINDINGS;
		return {
			facility_type: ft,
			n: v.length,
			p05: enough ? quantile(v, 0.05) : null,
			q1: enough ? quantile(v, 0.25) : null,
			median: enough ? quantile(v, 0.5) : null,
			q3: enough ? quantile(v, 0.75) : null,
			p95: enough ? quantile(v, 0.95) : null,
			below: enough ? v.filter((x) => x < CPT_LIVING_SPACE_M2).length / v.length : null
		};
	});
}

function expectedOccupancy(s: ViewState): OccupancyYear[] {
	// Only the verdict is published (the rate would narrow capacity): over capacity = standard not met.
	const rows = findings.filter((r) => r.indicator === 'occupancy_rate' && r.meets_standard !== null && matches(r, s, true));
	const years = findings.map((r) => r.year);
	const from = s.from ?? Math.min(...years);
	const to = s.to ?? Math.max(...years);
	const out: OccupancyYear[] = [];
	for (let y = from; y <= to; y++) {
		const v = rows.filter((r) => r.year === y);
		out.push({ year: y, n: v.length, over: v.length ? v.filter((r) => r.meets_standard === false).length / v.length : null });
	}
	return out;
}

const sortCells = (c: HeatmapCell[]) => [...c].sort((a, b) => `${a.region_code}|${a.indicator}`.localeCompare(`${b.region_code}|${b.indicator}`));
const sortGroups = (g: BoxGroup[]) => [...g].sort((a, b) => String(a.facility_type).localeCompare(String(b.facility_type)));

/** Numbers equal to 1e-9; the rest exactly. */
function expectClose(got: unknown, want: unknown, where = '') {
	if (typeof want === 'number' && typeof got === 'number') {
		expect(got, where).toBeCloseTo(want, 9);
	} else if (Array.isArray(want)) {
		expect(Array.isArray(got), where).toBe(true);
		expect((got as unknown[]).length, where).toBe(want.length);
		want.forEach((w, i) => expectClose((got as unknown[])[i], w, `${where}[${i}]`));
	} else if (want && typeof want === 'object') {
		expect(Object.keys(got as object).sort(), where).toEqual(Object.keys(want).sort());
		for (const [k, w] of Object.entries(want)) expectClose((got as Record<string, unknown>)[k], w, `${where}.${k}`);
	} else {
		expect(got, where).toEqual(want);
	}
}

const STATES: [string, Partial<ViewState>][] = [
	['default', {}],
	['years 2018-2021', { from: 2018, to: 2021 }],
	['two regions', { region: ['KZ-75', 'KZ-71'] }],
	['facility types and an indicator', { ftype: ['sizo', 'ivs'], ind: ['sanitation', 'living_space_m2'] }],
	['authority (joined from visits) and a year', { auth: ['mia_police'], from: 2022, to: 2022 }],
	['a combination that leaves small cells', { ftype: ['military_guardhouse', 'reception_distribution'], from: 2024 }]
];

describe('loadConditionsView', () => {
	for (const [name, patch] of STATES) {
		it(`equals an independent computation: ${name}`, async () => {
			const state = { ...defaultState(), ...patch };
			const got = await loadConditionsView(engine, state);
			expectClose(sortCells(got.heatmap), sortCells(expectedHeatmap(state)), 'heatmap');
			expectClose(sortGroups(got.livingSpace), sortGroups(expectedLivingSpace(state)), 'livingSpace');
			expectClose(got.occupancy, expectedOccupancy(state), 'occupancy');
			const withheld = findings.filter((r) => matches(r, state) && (r.region_code === null || r.facility_type === null)).length;
			expect(got.withheld).toBe(withheld);
		});
	}

	it('covers the data: every region and indicator in the default heatmap, a box per facility type', async () => {
		const v = await loadConditionsView(engine, defaultState());
		expect(new Set(v.heatmap.map((c) => c.region_code)).size).toBe(20);
		expect(new Set(v.heatmap.map((c) => c.indicator)).size).toBe(12);
		expect(v.livingSpace.length).toBeGreaterThanOrEqual(9);
		for (const g of v.livingSpace) {
			expect(g.p05!).toBeLessThanOrEqual(g.q1!);
			expect(g.q1!).toBeLessThanOrEqual(g.median!);
			expect(g.median!).toBeLessThanOrEqual(g.q3!);
			expect(g.q3!).toBeLessThanOrEqual(g.p95!);
		}
		expect(v.span).toEqual({ fromYear: 2014, toYear: 2025 });
	});

	it('marks small cells as not enough data', async () => {
		const v = await loadConditionsView(engine, { ...defaultState(), ftype: ['military_guardhouse'], from: 2024, to: 2024 });
		const small = v.heatmap.filter((c) => c.n < MIN_FINDINGS);
		expect(small.length).toBeGreaterThan(0);
		for (const c of small) expect(c.share).toBeNull();
	});
});

describe('fillYears', () => {
	it('adds empty years as gaps and keeps the range', () => {
		expect(fillYears([{ year: 2016, n: 3, over: 0 }], { fromYear: 2015, toYear: 2017 })).toEqual([
			{ year: 2015, n: 0, over: null },
			{ year: 2016, n: 3, over: 0 },
			{ year: 2017, n: 0, over: null }
		]);
	});
});

describe('view helpers', () => {
	const cells: HeatmapCell[] = [
		{ region_code: 'KZ-75', indicator: 'food', n: 10, met: 9, share: 0.9 },
		{ region_code: 'KZ-75', indicator: 'sanitation', n: 10, met: 2, share: 0.2 },
		{ region_code: 'KZ-71', indicator: 'food', n: 4, met: 4, share: null },
		{ region_code: null, indicator: 'sanitation', n: 6, met: 3, share: 0.5 }
	];
	const name = (c: string | null) => (c == null ? 'withheld' : c === 'KZ-75' ? 'Almaty' : c === 'KZ-71' ? 'Astana' : c);

	it('heatmapRows: by name, a withheld region last', () => {
		expect(heatmapRows(cells, name, 'en').map((r) => r.label)).toEqual(['Almaty', 'Astana', 'withheld']);
	});

	it('heatmapColumns: in code-list order', () => {
		expect(heatmapColumns(cells, ['sanitation', 'food'], (c) => String(c)).map((c) => c.key)).toEqual(['sanitation', 'food']);
	});

	it('heatmapTable: one row per existing cell, raw share or null', () => {
		const rows = heatmapRows(cells, name, 'en');
		const cols = heatmapColumns(cells, ['food', 'sanitation'], (c) => String(c));
		const t = heatmapTable(cells, rows, cols, { region: 'R', indicator: 'I', n: 'N', met: 'M', share: 'S' });
		expect(t.rows).toEqual([
			{ region: 'Almaty', indicator: 'food', n: 10, met: 9, share: 0.9 },
			{ region: 'Almaty', indicator: 'sanitation', n: 10, met: 2, share: 0.2 },
			{ region: 'Astana', indicator: 'food', n: 4, met: 4, share: null },
			{ region: 'withheld', indicator: 'sanitation', n: 6, met: 3, share: 0.5 }
		]);
	});

	it('heatmapExtremes: pooled shares; groups under the minimum are not ranked', () => {
		const x = heatmapExtremes(cells, MIN_FINDINGS);
		expect(x.n).toBe(30);
		expect(x.share).toBeCloseTo(18 / 30);
		expect(x.indicator.low).toEqual({ key: 'sanitation', share: 5 / 16 });
		expect(x.indicator.high).toEqual({ key: 'food', share: 13 / 14 });
		expect(x.region.low).toEqual({ key: null, share: 0.5 });
		// KZ-71 has 4 findings (< 5): not ranked. Highest: KZ-75 (11/20 = 0.55) over withheld (0.5).
		expect(x.region.high).toEqual({ key: 'KZ-75', share: 11 / 20 });
		expect(x.region.low).not.toEqual(x.region.high);
	});

	it('livingSpaceExtremes and occupancyEnds skip groups and years without data', () => {
		const g = (facility_type: string, median: number | null): BoxGroup => ({ facility_type, n: 9, p05: 1, q1: 2, median, q3: 5, p95: 6, below: 0.1 });
		expect(livingSpaceExtremes([g('a', 5), g('b', null), g('c', 3)])).toEqual({ low: g('c', 3), high: g('a', 5) });
		expect(livingSpaceExtremes([g('b', null)])).toBeNull();
		const y = (year: number, n: number): OccupancyYear => ({ year, n, over: n ? 0.1 : null });
		expect(occupancyEnds([y(2014, 0), y(2015, 3), y(2016, 4), y(2017, 0)])).toEqual({ first: y(2015, 3), last: y(2016, 4) });
		expect(occupancyEnds([y(2014, 0)])).toBeNull();
	});
});
