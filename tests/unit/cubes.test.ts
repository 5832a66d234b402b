/**
 * The rollup slicer and the structural sharing of live answers, table-driven; and the filter
 * registry's promise: a filter changes every view that claims to apply it, and no other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { andMask, maskOf, slice, sliceMany, weightedQuantile, type Cube, type Mask, type SliceOptions, type SliceRow } from '../../src/lib/cubes/cube';
import { reconcile, sameData } from '../../src/lib/engine/live-query.svelte';
import { createNodeEngine } from '../../src/lib/server/engine-node';
import type { Engine } from '../../src/lib/engine/types';
import { cubeFilters, cubeWhere, filtersNotApplied, type FilterKey } from '../../src/lib/queries/registry';
import { defaultState, type ViewState } from '../../src/lib/state/view-state';
import { allegationsByYear } from '../../src/lib/queries/allegations-by-year';
import { loadAllegationsView } from '../../src/lib/queries/allegations';
import { conditionsHeatmap, livingSpaceByFacilityType, occupancyByYear } from '../../src/lib/queries/conditions';
import { implementationByYear, oldestOpenByTheme, recommendationSurvival, statusBy, SURVIVAL_ORDER } from '../../src/lib/queries/recommendations';
import { loadHeadlines, loadMapValues } from '../../src/lib/queries/overview';
import { loadRegionFunnel } from '../../src/lib/queries/region-funnel';
import { loadRegionProfile } from '../../src/lib/queries/region-profile';
import { loadRegionsComparison } from '../../src/lib/queries/region-compare';
import { REGION_CODES } from '../../src/lib/state/reference';
import type { CubeName, RollupManifest } from '../../src/lib/cubes/definitions';
import { cubeLoader } from '../../src/lib/cubes/load';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A tiny cube: dims a (x, y, withheld) and b (1, 2), measure n. */
function tiny(): Cube {
	return {
		name: 'tiny',
		length: 5,
		codes: { a: Uint8Array.from([1, 1, 2, 0, 2]), b: Uint8Array.from([1, 2, 1, 1, 2]) },
		dicts: { a: [null, 'x', 'y'], b: [null, 1, 2] },
		measures: { n: Float64Array.from([3, 4, 5, 6, 7]) },
		meta: {}
	};
}

describe('slice', () => {
	it('sums every row with no grouping', () => {
		expect(slice(tiny(), {})).toEqual([{ n: 25 }]);
	});
	it('groups in dictionary order, withheld (null) first, and decodes the values', () => {
		expect(slice(tiny(), { by: ['a'] })).toEqual([
			{ a: null, n: 6 },
			{ a: 'x', n: 7 },
			{ a: 'y', n: 12 }
		]);
	});
	it('groups by two dimensions and leaves out empty groups', () => {
		expect(slice(tiny(), { by: ['b', 'a'] })).toEqual([
			{ b: 1, a: null, n: 6 },
			{ b: 1, a: 'x', n: 3 },
			{ b: 1, a: 'y', n: 5 },
			{ b: 2, a: 'x', n: 4 },
			{ b: 2, a: 'y', n: 7 }
		]);
	});
	it('filters with masks; a mask that keeps everything is no filter', () => {
		const c = tiny();
		expect(slice(c, { where: { a: maskOf(c, 'a', (v) => v === 'y') }, by: ['b'] })).toEqual([
			{ b: 1, n: 5 },
			{ b: 2, n: 7 }
		]);
		expect(slice(c, { where: { a: maskOf(c, 'a', () => true) } })).toEqual([{ n: 25 }]);
		const both = andMask(maskOf(c, 'a', (v) => v !== null), maskOf(c, 'a', (v) => v !== 'x'));
		expect(slice(c, { where: { a: both } })).toEqual([{ n: 12 }]);
	});
	it('names the cube and the dimension it does not have', () => {
		expect(() => slice(tiny(), { by: ['nope'] })).toThrow(/tiny rollup has no dimension "nope"/);
	});
});

/** A seeded random cube: dims d0..d3 (d0 sorted like a rollup's first dimension, NULLs last), measures n and m. */
function randomCube(seed: number, rows: number, sorted: boolean): Cube {
	let x = seed;
	const rnd = (k: number) => {
		x = (x * 1103515245 + 12345) % 2147483648;
		return x % k;
	};
	const sizes = [9, 4, 6, 3];
	const codes = sizes.map(() => new Uint8Array(rows));
	for (let i = 0; i < rows; i++) for (let d = 0; d < sizes.length; d++) codes[d][i] = rnd(sizes[d] + 1);
	if (sorted) {
		// Like ORDER BY d0 in DuckDB: values ascending, NULL (code 0) last.
		const order = [...Array(rows).keys()].sort((a, b) => (codes[0][a] || 99) - (codes[0][b] || 99));
		for (let d = 0; d < sizes.length; d++) codes[d] = Uint8Array.from(order, (i) => codes[d][i]);
	}
	return {
		name: `random${seed}`,
		length: rows,
		codes: Object.fromEntries(codes.map((c, d) => [`d${d}`, c])),
		dicts: Object.fromEntries(sizes.map((k, d) => [`d${d}`, [null, ...Array.from({ length: k }, (_, v) => `v${v}`)]])),
		measures: { n: Float64Array.from({ length: rows }, () => 1 + rnd(5)), m: Float64Array.from({ length: rows }, () => rnd(100) / 4) },
		meta: {}
	};
}

/** The slice by definition: row by row, groups in code order. */
function naiveSlice(cube: Cube, o: SliceOptions): SliceRow[] {
	const by = o.by ?? [];
	const sums = o.sum ?? Object.keys(cube.measures);
	const groups = new Map<string, { codes: number[]; sums: number[] }>();
	for (let i = 0; i < cube.length; i++) {
		if (Object.entries(o.where ?? {}).some(([d, mask]) => !mask[cube.codes[d][i]])) continue;
		const codes = by.map((d) => cube.codes[d][i]);
		const key = codes.map((c) => String(c).padStart(3, '0')).join('|');
		let g = groups.get(key);
		if (!g) groups.set(key, (g = { codes, sums: sums.map(() => 0) }));
		sums.forEach((m, k) => (g.sums[k] += cube.measures[m][i]));
	}
	if (!by.length && !groups.size) groups.set('', { codes: [], sums: sums.map(() => 0) });
	return [...groups.keys()].sort().map((k) => {
		const g = groups.get(k)!;
		return Object.fromEntries([...by.map((d, j) => [d, cube.dicts[d][g.codes[j]]]), ...sums.map((m, j) => [m, g.sums[j]])]);
	});
}

describe('sliceMany equals the slice by definition', () => {
	// Several slices share one filter set (the same `where` object) or have their own; a filter on the
	// sorted first dimension lets the slicer visit only that dimension's matching runs of rows, which
	// must not change any answer: when every filter set filters on it, when one does not, and when
	// the rows are not sorted by it at all.
	const masks = (cube: Cube, seed: number, dims: string[]): Record<string, Mask> =>
		Object.fromEntries(dims.map((d, k) => [d, maskOf(cube, d, (v) => v === null ? (seed + k) % 2 === 0 : (Number(String(v).slice(1)) + seed + k) % 3 !== 0)]));
	for (const sorted of [true, false])
		for (let seed = 1; seed <= 12; seed++)
			it(`${sorted ? 'rows sorted by d0' : 'rows in no order'}, case ${seed}`, () => {
				const cube = randomCube(seed, 400 + seed * 37, sorted);
				const w1 = masks(cube, seed, seed % 3 === 0 ? ['d0'] : ['d0', 'd2']);
				const w2 = seed % 2 ? masks(cube, seed + 1, ['d0', 'd1']) : masks(cube, seed + 1, ['d3']);
				const specs: SliceOptions[] = [
					{ where: w1, sum: ['n'] },
					{ where: w1, by: ['d1'] },
					{ where: w1, by: ['d0', 'd3'], sum: ['n'] },
					{ where: w2, by: ['d2', 'd1', 'd3'], sum: ['m'] },
					{ where: w2, by: ['d3', 'd2', 'd1', 'd0'] },
					{ by: ['d2'] },
					{ where: masks(cube, seed, ['d0']), by: ['d0'], sum: ['n'] }
				];
				const got = sliceMany(cube, specs);
				specs.forEach((spec, k) => expect(got[k], `slice ${k}`).toEqual(naiveSlice(cube, spec)));
				// Each slice alone (one filter set per call) gives the same.
				specs.forEach((spec, k) => expect(slice(cube, spec), `slice ${k} alone`).toEqual(got[k]));
			});
	it('a filter that keeps no row gives no groups, and one total of 0', () => {
		const cube = randomCube(5, 300, true);
		const none = { d0: maskOf(cube, 'd0', () => false) };
		expect(sliceMany(cube, [{ where: none, by: ['d1'] }, { where: none, sum: ['n'] }])).toEqual([[], [{ n: 0 }]]);
	});
});

describe('weightedQuantile equals the unweighted quantile (DuckDB quantile_cont) of the expanded list', () => {
	const cases: [number[], number][] = [
		[[1, 2, 3, 4], 0.5],
		[[5], 0.95],
		[[1, 1, 1, 10], 0.25],
		[[2, 9, 9, 3, 3, 3, 7], 0.05],
		[[2, 9, 9, 3, 3, 3, 7], 0.75]
	];
	for (const [values, p] of cases) {
		it(`${values.join(',')} at ${p}`, () => {
			const sorted = [...values].sort((a, b) => a - b);
			const h = (sorted.length - 1) * p;
			const expected = sorted[Math.floor(h)] + (sorted[Math.ceil(h)] - sorted[Math.floor(h)]) * (h - Math.floor(h));
			const counts = new Map<number, number>();
			for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
			expect(weightedQuantile([...counts].map(([value, count]) => ({ value, count })), p)).toBeCloseTo(expected, 12);
		});
	}
	it('is null with no observation', () => {
		expect(weightedQuantile([], 0.5)).toBeNull();
	});
});

describe('reconcile keeps unchanged parts of an answer as the same objects', () => {
	it('an equal answer is the previous object itself', () => {
		const prev = { a: [1, 2], b: { c: 1 } };
		expect(reconcile(prev, { a: [1, 2], b: { c: 1 } })).toBe(prev);
	});
	it('only the changed part is new', () => {
		const prev = { a: [1, 2], b: { c: 1 } };
		const next = reconcile(prev, { a: [1, 2], b: { c: 2 } });
		expect(next).not.toBe(prev);
		expect(next.a).toBe(prev.a);
		expect(next.b).toEqual({ c: 2 });
	});
	it('compares values, not their JSON text', () => {
		expect(sameData({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
		expect(sameData({ a: NaN }, { a: NaN })).toBe(true);
		expect(sameData({ a: 1, b: undefined }, { a: 1 })).toBe(true);
		expect(sameData({ a: 1 }, { a: 1, b: 2 })).toBe(false);
		expect(sameData({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
		expect(sameData([1, 2], [1, 2, 3])).toBe(false);
		expect(sameData([1, 2], { 0: 1, 1: 2 })).toBe(false);
		expect(sameData({ a: null }, { a: {} })).toBe(false);
		expect(sameData({ a: 0.1 + 0.2 }, { a: 0.3 })).toBe(false);
		expect(sameData('1', 1)).toBe(false);
	});
	it('arrays are compared whole', () => {
		const prev = [{ x: 1 }];
		expect(reconcile(prev, [{ x: 1 }])).toBe(prev);
		expect(reconcile(prev, [{ x: 2 }])).toEqual([{ x: 2 }]);
	});
});

describe('the filter registry', () => {
	let engine: Engine;
	beforeAll(async () => {
		engine = await createNodeEngine({ dataDir: 'static/data' });
	});
	afterAll(() => engine?.close());

	/** Each view: what it reads, the filters it leaves out on purpose, and how to compute it. */
	const VIEWS: { id: string; cubes: CubeName[]; skip?: FilterKey[]; load: (e: Engine, s: ViewState) => Promise<unknown> }[] = [
		{ id: 'allegations by year', cubes: ['allegations'], load: (e, s) => allegationsByYear(e, REGION_CODES, { fromYear: 2014, toYear: 2025 }, s) },
		{ id: 'allegations page', cubes: ['allegations'], load: (e, s) => loadAllegationsView(e, s) },
		{ id: 'heatmap', cubes: ['findings'], load: conditionsHeatmap },
		{ id: 'living space', cubes: ['finding_values'], skip: ['ind'], load: livingSpaceByFacilityType },
		{ id: 'occupancy', cubes: ['findings'], skip: ['ind'], load: (e, s) => occupancyByYear(e, s, { fromYear: 2014, toYear: 2025 }) },
		{ id: 'status by addressee', cubes: ['recommendations'], load: (e, s) => statusBy(e, 'addressee', s) },
		{ id: 'implementation by year', cubes: ['recommendations'], load: implementationByYear },
		{ id: 'survival', cubes: ['recommendations'], load: (e, s) => recommendationSurvival(e, s, SURVIVAL_ORDER[s.km]) },
		{ id: 'oldest open', cubes: ['recommendations'], skip: ['prio'], load: oldestOpenByTheme },
		{ id: 'headlines', cubes: ['allegations', 'visits', 'findings', 'recommendations'], load: loadHeadlines },
		{ id: 'map of standards', cubes: ['findings'], skip: ['region'], load: (e, s) => loadMapValues(e, s, 'conditions') },
		{ id: 'region funnel (allegation rates)', cubes: ['allegations'], skip: ['region'], load: loadRegionFunnel },
		{ id: 'map of implementation', cubes: ['recommendations'], skip: ['region'], load: (e, s) => loadMapValues(e, s, 'recommendations') },
		{ id: 'region profile', cubes: ['allegations', 'visits', 'findings', 'recommendations'], skip: ['region'], load: (e, s) => loadRegionProfile(e, s, 'KZ-75') },
		{ id: 'regions compared', cubes: ['allegations', 'visits', 'findings', 'recommendations', 'region_year'], skip: ['region'], load: loadRegionsComparison }
	];
	// One value per filter that keeps some rows and drops others in every table that has the column.
	const FILTER_VALUES: [FilterKey, Partial<ViewState>][] = [
		['year', { from: 2019, to: 2021 }],
		['region', { region: ['KZ-71'] }],
		['ftype', { ftype: ['sizo'] }],
		['auth', { auth: ['mia_police'] }],
		['atype', { atype: ['torture'] }],
		['perp', { perp: ['police'] }],
		['channel', { channel: ['npm_visit'] }],
		['ind', { ind: ['light_ventilation', 'food'] }],
		['theme', { theme: ['healthcare_access'] }],
		['addr', { addr: ['knb'] }],
		['prio', { prio: ['low'] }],
		['status', { status: ['rejected'] }]
	];

	it('the findings rollup applies the authority filter (through the visit), like the heatmap', () => {
		expect(cubeFilters('findings')).toContain('auth');
		expect(filtersNotApplied({ ...defaultState(), auth: ['mia_police'] }, ['findings'])).toEqual([]);
		expect(filtersNotApplied({ ...defaultState(), atype: ['torture'] }, ['findings'])).toEqual(['atype']);
	});

	for (const view of VIEWS) {
		it(`${view.id}: changes under exactly the filters it claims`, async () => {
			const base = JSON.stringify(await view.load(engine, defaultState()));
			const claimed = new Set(view.cubes.flatMap(cubeFilters).filter((k) => !(view.skip ?? []).includes(k)));
			for (const [key, patch] of FILTER_VALUES) {
				const state = { ...defaultState(), ...patch };
				const changed = JSON.stringify(await view.load(engine, state)) !== base;
				expect(changed, `${view.id} under ${key}: claims ${claimed.has(key) ? '' : 'not '}to apply it`).toBe(claimed.has(key));
			}
		});
	}

	it('with auth=mia_police the overview\'s "standards" headline and the heatmap count the same findings', async () => {
		const state = { ...defaultState(), auth: ['mia_police'] };
		const headlines = await loadHeadlines(engine, state);
		const standards = headlines.find((h) => h.id === 'standards')!.series.reduce((s, y) => s + y.n, 0);
		const cells = (await conditionsHeatmap(engine, state)).reduce((s, c) => s + c.n, 0);
		const all = (await conditionsHeatmap(engine, defaultState())).reduce((s, c) => s + c.n, 0);
		expect(standards).toBe(cells);
		expect(cells).toBeLessThan(all);
	});

	it('cubeWhere drops withheld values under a filter, as SQL does (NULL never matches)', async () => {
		const c = await engine.cube('allegations');
		const where = cubeWhere(c, { ...defaultState(), from: 2014 });
		expect(slice(c, { where, by: ['year'] }).some((r) => r.year === null)).toBe(false);
	});
});

describe("the browser's Arrow rollups are DuckDB's reading of the Parquet rollups", () => {
	const dir = path.resolve('static/data');
	const manifest = JSON.parse(readFileSync(path.join(dir, 'rollups', 'manifest.json'), 'utf8')) as RollupManifest;
	let duck: Engine;
	const realFetch = globalThis.fetch;
	/** fetch over the release folder on disk, as the site serves it; `mangle` may change a file's bytes. */
	const diskFetch = (mangle: (file: string, b: Buffer) => Buffer = (_f, b) => b) =>
		(async (input: string | URL) => {
			const file = path.join(dir, new URL(String(input)).pathname.replace(/^\/data\//, ''));
			if (!existsSync(file)) return new Response('not found', { status: 404 });
			return new Response(new Uint8Array(mangle(file, readFileSync(file))));
		}) as typeof fetch;
	beforeAll(async () => {
		duck = await createNodeEngine({ dataDir: dir });
	});
	afterAll(async () => {
		globalThis.fetch = realFetch;
		await duck.close();
	});

	it('every cube: same rows, same codes, same measures', async () => {
		globalThis.fetch = diskFetch();
		const load = cubeLoader('http://site.test/data/');
		const names = Object.keys(manifest.cubes) as CubeName[];
		expect(names.length).toBeGreaterThanOrEqual(12);
		for (const name of names) {
			const [a, p] = await Promise.all([load(name), duck.cube(name)]);
			expect(a.length, name).toBe(p.length);
			expect(a.dicts, name).toEqual(p.dicts);
			for (const d of Object.keys(p.codes)) expect(Array.from(a.codes[d]), `${name}.${d}`).toEqual(Array.from(p.codes[d]));
			for (const m of Object.keys(p.measures)) expect(Array.from(a.measures[m]), `${name}.${m}`).toEqual(Array.from(p.measures[m]));
		}
	});

	it('a short or missing file is an error that names it, for that cube only', async () => {
		globalThis.fetch = diskFetch((file, b) => (file.endsWith('findings.arrow') ? b.subarray(0, b.length >> 1) : b));
		const load = cubeLoader('http://site.test/data/');
		await expect(load('findings')).rejects.toThrow(/rollups\/findings\.arrow: it has \d+ bytes, the manifest says \d+/);
		expect((await load('visits')).length).toBe(manifest.cubes.visits!.rows);
		globalThis.fetch = (async () => new Response('gone', { status: 404 })) as unknown as typeof fetch;
		await expect(cubeLoader('http://site.test/data/')('visits')).rejects.toThrow(/Could not load rollups\/manifest\.json \(404\)/);
	});

	it('asks for the Arrow file beside the manifest, not after it, and each file once', async () => {
		const disk = diskFetch();
		const requested: string[] = [];
		let releaseManifest!: () => void;
		const manifestHeld = new Promise<void>((resolve) => (releaseManifest = resolve));
		globalThis.fetch = (async (input: string | URL) => {
			const file = new URL(String(input)).pathname;
			requested.push(file);
			if (file.endsWith('manifest.json')) await manifestHeld;
			return disk(input);
		}) as typeof fetch;
		const load = cubeLoader('http://site.test/data/');
		const pending = Promise.all([load('visits'), load('findings'), load('visits')]);
		await new Promise((resolve) => setTimeout(resolve, 20));
		// The manifest has not answered yet, and both files are already on their way.
		expect([...requested].sort()).toEqual(['/data/rollups/findings.arrow', '/data/rollups/manifest.json', '/data/rollups/visits.arrow']);
		releaseManifest();
		const [visits, findings] = await pending;
		expect(visits.length).toBe(manifest.cubes.visits!.rows);
		expect(findings.length).toBe(manifest.cubes.findings!.rows);
		expect(requested).toHaveLength(3);
	});
});

describe('the build notes which rollups a page reads, for the browser to fetch while it hydrates', () => {
	it('getPageEngine lists exactly the cubes the page asked for', async () => {
		const { getPageEngine } = await import('../../src/lib/server/engine-node');
		const { engine, cubes } = await getPageEngine();
		expect(cubes()).toEqual([]);
		await engine.cube('visits');
		await engine.cube('allegations_base');
		await engine.cube('visits');
		expect(cubes()).toEqual(['allegations_base', 'visits']);
		const other = await getPageEngine();
		expect(other.cubes()).toEqual([]);
	});
});
