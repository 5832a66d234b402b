/**
 * The Allegations page's queries on the app's engine (DuckDB-WASM 0.9 in Node) over the real
 * static/data, against an independent computation: rows read with @duckdb/node-api (DuckDB 1.5)
 * and counted here in plain TypeScript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from '../../scripts/generate/index';
import { ingest } from '../../scripts/pipeline/index';
import { createNodeEngine } from '../../src/lib/server/engine-node';
import type { Engine } from '../../src/lib/engine/types';
import { loadAllegationsView, RATE_BASE, regionsNotYetCreated, FUNNEL_STAGES } from '../../src/lib/queries/allegations';
import { defaultState, type ViewState } from '../../src/lib/state/view-state';

interface Alleg {
	report_year: number | null;
	report_quarter: number | null;
	region_code: string | null;
	facility_type: string | null;
	authority: string | null;
	channel: string | null;
	allegation_type: string | null;
	perpetrator: string | null;
	outcome: string | null;
}
interface RegionYear {
	region_code: string;
	year: number;
	residents: number;
	detainees: number;
}

const DATA = path.resolve('static/data');
let engine: Engine;
let rows: Alleg[];
let regionYear: RegionYear[];

/** Opens the app's engine on a release and reads its rows for the independent computation. */
async function openRelease(DATA: string) {
	engine = await createNodeEngine({ dataDir: DATA });
	const inst = await DuckDBInstance.create(':memory:');
	const conn = await inst.connect();
	const read = async <T>(table: string, cols: string) =>
		(await conn.runAndReadAll(`SELECT ${cols} FROM read_parquet('${path.join(DATA, table + '.parquet')}')`)).getRowObjectsJS() as T[];
	rows = await read<Alleg>('allegations', 'report_year, report_quarter, region_code, facility_type, authority, channel, allegation_type, perpetrator, outcome');
	regionYear = (await read<RegionYear>('region_year', 'region_code, year, residents::DOUBLE AS residents, detainees::DOUBLE AS detainees'));
}

beforeAll(() => openRelease(DATA), 60_000);
afterAll(() => engine?.close());

const st = (patch: Partial<ViewState>): ViewState => ({ ...defaultState(), ...patch });

/** The independent expectation for one state. */
function expected(state: ViewState) {
	const inList = (list: string[], v: string | null) => !list.length || (v != null && list.includes(v));
	const match = (r: Alleg, skipRegionFtype = false) =>
		(state.from == null || (r.report_year != null && r.report_year >= state.from)) &&
		(state.to == null || (r.report_year != null && r.report_year <= state.to)) &&
		(skipRegionFtype || inList(state.region, r.region_code)) &&
		(skipRegionFtype || inList(state.ftype, r.facility_type)) &&
		inList(state.auth, r.authority) &&
		inList(state.atype, r.allegation_type) &&
		inList(state.perp, r.perpetrator) &&
		inList(state.channel, r.channel);
	const sel = rows.filter((r) => match(r));
	const allYears = rows.map((r) => r.report_year).filter((y): y is number => y != null);
	const from = state.from ?? Math.min(...allYears);
	const to = state.to ?? Math.max(...allYears);
	const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);

	const denom = (year: number): number | null => {
		if (state.measure === 'count') return null;
		const col = state.measure === 'per_detainees' ? 'detainees' : 'residents';
		const rs = regionYear.filter((r) => r.year === year && (!state.region.length || state.region.includes(r.region_code)));
		if (!rs.length || (state.region.length && rs.length < state.region.length)) return null;
		return rs.reduce((s, r) => s + r[col], 0);
	};
	const spanFrom = Math.min(...allYears);
	const spanTo = Math.max(...allYears);
	const point = (year: number, quarter: number | null) => {
		const inSpan = year >= spanFrom && year <= spanTo;
		const count = inSpan ? sel.filter((r) => r.report_year === year && (quarter == null || r.report_quarter === quarter)).length : null;
		const d = denom(year);
		const value = count == null ? null : state.measure === 'count' ? count : d == null ? null : (count / d) * RATE_BASE[state.measure];
		return { year, quarter, count, denominator: d, value };
	};
	const points = state.period === 'quarter' ? years.flatMap((y) => [1, 2, 3, 4].map((q) => point(y, q))) : years.map((y) => point(y, null));
	const quarterWithheld =
		state.period === 'quarter'
			? years.map((y) => ({ year: y, n: sel.filter((r) => r.report_year === y && r.report_quarter == null).length })).filter((q) => q.n > 0)
			: [];

	const tally = (key: keyof Alleg) => {
		const m = new Map<string | null, number>();
		for (const r of sel) m.set(r[key] as string | null, (m.get(r[key] as string | null) ?? 0) + 1);
		return m;
	};
	const types = new Map<string | null, number[]>();
	for (const r of sel) {
		if (r.report_year == null || r.report_year < from || r.report_year > to) continue;
		if (!types.has(r.allegation_type)) types.set(r.allegation_type, years.map(() => 0));
		types.get(r.allegation_type)![r.report_year - from]++;
	}
	const reached = {
		registered: sel.length,
		under_investigation: sel.filter((r) => ['under_investigation', 'closed_no_crime', 'sent_to_court', 'conviction', 'acquittal'].includes(r.outcome ?? '')).length,
		sent_to_court: sel.filter((r) => ['sent_to_court', 'conviction', 'acquittal'].includes(r.outcome ?? '')).length,
		conviction: sel.filter((r) => r.outcome === 'conviction').length
	};
	const wide = rows.filter((r) => match(r, true));
	return {
		points,
		quarterWithheld,
		yearWithheld: sel.filter((r) => r.report_year == null).length,
		types,
		perp: tally('perpetrator'),
		channel: tally('channel'),
		reached,
		withheld: { region: wide.filter((r) => r.region_code == null).length, ftype: wide.filter((r) => r.facility_type == null).length, year: wide.filter((r) => r.report_year == null).length }
	};
}

const STATES: [string, ViewState][] = [
	['default', st({})],
	['regions + years, per 1,000 detainees', st({ region: ['KZ-75', 'KZ-10'], from: 2018, to: 2024, measure: 'per_detainees' })],
	['per 100,000 residents, by quarter', st({ measure: 'per_residents', period: 'quarter' })],
	['types + facility types, by quarter', st({ atype: ['torture', 'cidt'], ftype: ['ivs', 'sizo'], period: 'quarter', from: 2021, to: 2023 })],
	['perpetrator + channel + authority', st({ perp: ['police'], channel: ['npm_visit', 'ngo_hotline'], auth: ['mia_police'] })],
	['years before the data begin, per 100,000 residents', st({ from: 2008, to: 2016, measure: 'per_residents' })],
	['a new region, per detainees by quarter', st({ region: ['KZ-62'], measure: 'per_detainees', period: 'quarter' })],
	['nothing selected (only years before the data)', st({ from: 2008, to: 2010 })]
];

/** The page's view from the rollups against the independent count over the microdata. */
async function checkState(state: ViewState) {
	const got = await loadAllegationsView(engine, state);
	const want = expected(state);

	expect(got.overTime.points.map(({ year, quarter, count, denominator }) => ({ year, quarter, count, denominator }))).toEqual(
		want.points.map(({ year, quarter, count, denominator }) => ({ year, quarter, count, denominator }))
	);
	got.overTime.points.forEach((p, i) => {
		const w = want.points[i].value;
		if (w == null) expect(p.value).toBeNull();
		else expect(p.value).toBeCloseTo(w, 9);
	});
	expect(got.overTime.quarterWithheld).toEqual(want.quarterWithheld);
	expect(got.overTime.yearWithheld).toBe(want.yearWithheld);

	expect(new Map(got.byType.types.map((t) => [t.code, t.counts]))).toEqual(want.types);
	const totals = got.byType.types.map((t) => t.total);
	expect([...totals].sort((a, b) => b - a)).toEqual(totals);

	expect(new Map(got.byPerpetrator.map((c) => [c.code, c.n]))).toEqual(want.perp);
	expect(new Map(got.byChannel.map((c) => [c.code, c.n]))).toEqual(want.channel);
	for (const list of [got.byPerpetrator, got.byChannel]) expect(list.map((c) => c.n)).toEqual(list.map((c) => c.n).sort((a, b) => b - a));

	expect(got.outcomes.map((s) => s.stage)).toEqual([...FUNNEL_STAGES]);
	for (const s of got.outcomes) {
		expect(s.n).toBe(want.reached[s.stage]);
		if (want.reached.registered === 0) expect(s.share).toBeNull();
		else expect(s.share).toBeCloseTo(want.reached[s.stage] / want.reached.registered, 12);
	}
	expect(got.withheld).toEqual(want.withheld);
}

describe('loadAllegationsView equals an independent computation', () => {
	for (const [name, state] of STATES) it(name, () => checkState(state));

	it('reports withheld quarters and years in the default quarterly view, as counted independently', async () => {
		const got = await loadAllegationsView(engine, st({ period: 'quarter' }));
		const noQuarter = rows.filter((r) => r.report_year !== null && r.report_quarter === null).length;
		const noYear = rows.filter((r) => r.report_year === null).length;
		expect(got.overTime.quarterWithheld.reduce((a, q) => a + q.n, 0)).toBe(noQuarter);
		expect(got.overTime.yearWithheld).toBe(noYear);
		// The demo data generalise most quarters to the year, so the note must have something to say.
		expect(noQuarter).toBeGreaterThan(0);
	});

	it('gives a null rate, not zero, where a denominator is missing', async () => {
		// No region_year rows before 2010: a range that starts earlier has years without denominators.
		const got = await loadAllegationsView(engine, st({ from: 2008, to: 2011, measure: 'per_residents' }));
		const y2008 = got.overTime.points.find((p) => p.year === 2008)!;
		expect(y2008.denominator).toBeNull();
		expect(y2008.value).toBeNull();
		// ...and a year before the first record is blank too, in counts as in rates.
		const counts = await loadAllegationsView(engine, st({ from: 2008 }));
		expect(counts.overTime.points.find((p) => p.year === 2010)!.count).toBeNull();
	});
});

describe('on a larger release (scale 8: 80,000 allegations), the rollups still equal the microdata', () => {
	let dir: string;
	beforeAll(async () => {
		await engine?.close();
		dir = mkdtempSync(path.join(tmpdir(), 'kz-scale8-'));
		await generate({ seed: 8, scale: 8, out: path.join(dir, 'raw'), quiet: true });
		const result = await ingest({ input: path.join(dir, 'raw'), out: path.join(dir, 'release'), log: () => {} });
		expect(result.ok).toBe(true);
		await openRelease(path.join(dir, 'release'));
		expect(rows.length).toBeGreaterThan(70_000);
	}, 240_000);
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	for (const [name, state] of STATES) it(name, () => checkState(state));
});

describe('regionsNotYetCreated', () => {
	it('names the selected regions created after the first year shown', () => {
		const got = regionsNotYetCreated(st({ region: ['KZ-10', 'KZ-75', 'KZ-79'] }), { fromYear: 2014, toYear: 2025 });
		expect(got.map((r) => [r.code, r.firstFullYear])).toEqual([
			['KZ-10', 2023],
			['KZ-79', 2019]
		]);
		expect(regionsNotYetCreated(st({ region: ['KZ-10'] }), { fromYear: 2023, toYear: 2025 })).toEqual([]);
		expect(regionsNotYetCreated(st({}), { fromYear: 2014, toYear: 2025 })).toEqual([]);
	});
});
