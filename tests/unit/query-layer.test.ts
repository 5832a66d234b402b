import { describe, expect, it } from 'vitest';
import { QueryLayer, sqlKey, type LayerRequest } from '../../src/lib/engine/query-layer';
import { StaleResultError } from '../../src/lib/engine/types';
import { isStale } from '../../src/lib/engine/latest';

/** A promise settled from outside. */
function deferred<T>() {
	let resolve!: (v: T) => void;
	let reject!: (e: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/**
 * A fake engine: every call is recorded in order and waits until the test settles it, so the
 * test decides when the "worker" is busy. No DuckDB.
 */
function fakeEngine() {
	const started: string[] = [];
	const waiting = new Map<string, ReturnType<typeof deferred<unknown>>>();
	const call = (name: string) => {
		started.push(name);
		const d = deferred<unknown>();
		waiting.set(name, d);
		return d.promise;
	};
	const settle = (name: string) => {
		const d = waiting.get(name);
		if (!d) throw new Error(`${name} is not running (started: ${started.join(', ')})`);
		waiting.delete(name);
		return d;
	};
	return {
		started,
		run: (name: string) => call(name),
		query: <T extends object>(sql: string, params?: readonly unknown[]) => call(sqlKey(sql, params as never)) as Promise<T[]>,
		tables: [] as readonly string[],
		close: async () => {},
		/** Names currently running. */
		get running() {
			return [...waiting.keys()];
		},
		answer: (name: string, value: unknown = `answer:${name}`) => settle(name).resolve(value),
		fail: (name: string, error: unknown) => settle(name).reject(error)
	};
}
type Fake = ReturnType<typeof fakeEngine>;

function setup(options: { cacheSize?: number; concurrency?: number } = {}) {
	const engine = fakeEngine();
	let engineCalls = 0;
	const layer = new QueryLayer<Fake>({
		engine: async () => {
			engineCalls++;
			return engine;
		},
		...options
	});
	const req = (key: string, extra: Omit<LayerRequest<unknown>, 'key' | 'run'> = {}) => layer.request({ key, run: (e) => e.run(key), ...extra });
	return { engine, layer, req, engineCalls: () => engineCalls };
}

/** Let microtasks and the layer's scheduling run. */
const tick = () => new Promise((r) => setTimeout(r, 0));
/** Attach a handler now (so an early rejection is not "unhandled") and report how it settled. */
const outcome = (p: Promise<unknown>) =>
	p.then(
		(v) => ({ ok: true as const, value: v }),
		(e) => ({ ok: false as const, error: e })
	);

describe('QueryLayer: dedupe and cache', () => {
	it('shares one run between identical keys in flight', async () => {
		const { engine, layer, req } = setup();
		const a = req('k');
		const b = req('k');
		await tick();
		engine.answer('k', 42);
		expect(await a).toBe(42);
		expect(await b).toBe(42);
		expect(engine.started).toEqual(['k']);
		expect(layer.stats).toMatchObject({ requested: 2, deduped: 1, executed: 1 });
	});

	it('answers a later request for a cached key without running', async () => {
		const { engine, layer, req } = setup();
		const a = req('k');
		await tick();
		engine.answer('k', 'v');
		await a;
		expect(await req('k')).toBe('v');
		expect(engine.started).toEqual(['k']);
		expect(layer.stats).toMatchObject({ cacheHits: 1, executed: 1 });
	});

	it('peek gives a cached answer without running, counting or reordering anything', async () => {
		const { engine, layer, req } = setup({ cacheSize: 2 });
		expect(layer.peek('a')).toBeUndefined();
		const a = req('a');
		await tick();
		// In flight is not cached: nothing to peek at yet.
		expect(layer.peek('a')).toBeUndefined();
		engine.answer('a', 'A');
		await a;
		const b = req('b');
		await tick();
		engine.answer('b', 'B');
		await b;
		const before = layer.stats;
		expect(layer.peek('a')).toBe('A');
		expect(layer.stats).toEqual(before);
		// Not made more recently used: 'a' is still the one evicted next.
		const c = req('c');
		await tick();
		engine.answer('c', 'C');
		await c;
		expect(layer.peek('a')).toBeUndefined();
		expect(layer.peek('b')).toBe('B');
		expect(engine.started).toEqual(['a', 'b', 'c']);
	});

	it('evicts the least recently used entry at cacheSize', async () => {
		const { engine, req } = setup({ cacheSize: 2 });
		for (const k of ['a', 'b']) {
			const p = req(k);
			await tick();
			engine.answer(k);
			await p;
		}
		await req('a'); // a is now more recently used than b
		const c = req('c');
		await tick();
		engine.answer('c');
		await c; // cache holds a, c: b was evicted
		const again = [req('a'), req('b')];
		await tick();
		expect(engine.started).toEqual(['a', 'b', 'c', 'b']); // a from the cache, b runs again
		engine.answer('b');
		await Promise.all(again);
	});

	it('does not cache when cache: false', async () => {
		const { engine, req } = setup();
		const a = req('k', { cache: false });
		await tick();
		engine.answer('k');
		await a;
		const b = req('k');
		await tick();
		expect(engine.started).toEqual(['k', 'k']);
		engine.answer('k');
		await b;
	});

	it('does not cache failures: a retry runs again', async () => {
		const { engine, layer, req } = setup();
		const a = outcome(req('k'));
		await tick();
		engine.fail('k', new Error('boom'));
		expect(await a).toMatchObject({ ok: false, error: { message: 'boom' } });
		const b = req('k');
		await tick();
		engine.answer('k', 'ok');
		expect(await b).toBe('ok');
		expect(engine.started).toEqual(['k', 'k']);
		expect(layer.stats).toMatchObject({ executed: 2, failed: 1 });
	});

	it('clear() empties the cache, and a run in flight during clear() is not cached', async () => {
		const { engine, req, layer } = setup();
		const a = req('a');
		await tick();
		engine.answer('a');
		await a;
		const b = req('b');
		await tick();
		layer.clear();
		engine.answer('b');
		await b;
		const again = [req('a'), req('b')];
		await tick();
		engine.answer('a');
		await tick();
		engine.answer('b');
		await Promise.all(again);
		expect(engine.started).toEqual(['a', 'b', 'a', 'b']);
	});
});

describe('QueryLayer: channels (latest wins)', () => {
	it('drops queued requests a newer one on the same channel replaced; only the last runs', async () => {
		const { engine, layer, req } = setup();
		const busy = req('busy');
		await tick();
		const r1 = outcome(req('f1', { channel: 'chart' }));
		const r2 = outcome(req('f2', { channel: 'chart' }));
		const r3 = req('f3', { channel: 'chart' });
		const [o1, o2] = await Promise.all([r1, r2]);
		expect(isStale(o1.ok ? null : o1.error)).toBe(true);
		expect(isStale(o2.ok ? null : o2.error)).toBe(true);
		engine.answer('busy');
		await busy;
		await tick();
		engine.answer('f3', 'three');
		expect(await r3).toBe('three');
		expect(engine.started).toEqual(['busy', 'f3']);
		expect(layer.stats).toMatchObject({ dropped: 2, executed: 2 });
	});

	it('a running request replaced on its channel rejects its caller but caches its answer', async () => {
		const { engine, req } = setup();
		const old = outcome(req('old', { channel: 'chart' }));
		await tick();
		expect(engine.running).toEqual(['old']);
		const fresh = req('new', { channel: 'chart' });
		engine.answer('old', 'OLD');
		const o = await old;
		expect(o.ok ? null : o.error).toBeInstanceOf(StaleResultError);
		await tick();
		engine.answer('new', 'NEW');
		expect(await fresh).toBe('NEW');
		expect(await req('old')).toBe('OLD'); // from the cache
		expect(engine.started).toEqual(['old', 'new']);
	});

	it('a replaced running request that fails still reports StaleResultError, not its error', async () => {
		const { engine, req } = setup();
		const old = outcome(req('old', { channel: 'c' }));
		await tick();
		void req('new', { channel: 'c' }).catch(() => {});
		engine.fail('old', new Error('boom'));
		const o = await old;
		expect(o.ok ? null : o.error).toBeInstanceOf(StaleResultError);
	});

	it('still runs a dropped key that a caller on another channel also wants', async () => {
		const { engine, req } = setup();
		const busy = req('busy');
		await tick();
		const a = outcome(req('shared', { channel: 'map' }));
		const b = req('shared', { channel: 'table' });
		const c = req('other', { channel: 'map' });
		const o = await a;
		expect(isStale(o.ok ? null : o.error)).toBe(true);
		engine.answer('busy');
		await busy;
		await tick();
		expect(engine.running).toEqual(['shared']);
		engine.answer('shared', 'S');
		expect(await b).toBe('S');
		await tick();
		engine.answer('other');
		await c;
		expect(engine.started).toEqual(['busy', 'shared', 'other']);
	});

	it('asking the same key again on a channel keeps its queued run', async () => {
		const { engine, layer, req } = setup();
		const busy = req('busy');
		await tick();
		const first = outcome(req('k', { channel: 'c' }));
		const second = req('k', { channel: 'c' });
		engine.answer('busy');
		await tick();
		engine.answer('k', 'v');
		expect(await second).toBe('v');
		expect((await first).ok).toBe(false);
		expect(engine.started).toEqual(['busy', 'k']);
		expect(layer.stats.dropped).toBe(0);
		await busy;
	});
});

describe('QueryLayer: ordering', () => {
	it('runs the requests of one tick by priority, then arrival, one at a time', async () => {
		const { engine, req } = setup();
		const all = [req('prefetch', { priority: 2 }), req('visible1'), req('hidden', { priority: 1 }), req('visible2', { priority: 0 })];
		for (const name of ['visible1', 'visible2', 'hidden', 'prefetch']) {
			await tick();
			expect(engine.running).toEqual([name]); // concurrency 1: never two at once
			engine.answer(name);
		}
		await Promise.all(all);
		expect(engine.started).toEqual(['visible1', 'visible2', 'hidden', 'prefetch']);
	});

	it('runs up to `concurrency` at once', async () => {
		const { engine, req } = setup({ concurrency: 2 });
		const all = [req('a'), req('b'), req('c')];
		await tick();
		expect(engine.running).toEqual(['a', 'b']);
		engine.answer('b');
		await tick();
		expect(engine.running).toEqual(['a', 'c']);
		engine.answer('a');
		engine.answer('c');
		await Promise.all(all);
	});

	it('prioritize() moves a channel’s queued request ahead', async () => {
		const { engine, layer, req } = setup();
		const busy = req('busy');
		await tick();
		const below = req('below', { channel: 'below', priority: 1 });
		const later = req('later', { channel: 'later', priority: 2 });
		layer.prioritize('later', 0); // scrolled into view
		engine.answer('busy');
		await tick();
		expect(engine.running).toEqual(['later']);
		engine.answer('later');
		await tick();
		engine.answer('below');
		await Promise.all([busy, below, later]);
		expect(engine.started).toEqual(['busy', 'later', 'below']);
	});

	it('a deduped caller with a better priority lifts the shared run', async () => {
		const { engine, req } = setup();
		const all = [req('x', { priority: 1 }), req('k', { priority: 2 }), req('k', { priority: 0 })];
		await tick();
		expect(engine.running).toEqual(['k']);
		engine.answer('k');
		await tick();
		engine.answer('x');
		await Promise.all(all);
	});
});

describe('QueryLayer: engine and errors', () => {
	it('awaits engine() once per run; a failed engine() rejects those callers, uncached, and is retried later', async () => {
		const engine = fakeEngine();
		let calls = 0;
		const layer = new QueryLayer<Fake>({
			engine: async () => {
				calls++;
				if (calls === 1) throw new Error('worker failed to start');
				return engine;
			}
		});
		const a = outcome(layer.request({ key: 'k', run: (e) => e.run('k') }));
		const b = outcome(layer.request({ key: 'k', run: (e) => e.run('k') }));
		expect(await a).toMatchObject({ ok: false, error: { message: 'worker failed to start' } });
		expect(await b).toMatchObject({ ok: false, error: { message: 'worker failed to start' } });
		expect(engine.started).toEqual([]);
		const c = layer.request({ key: 'k', run: (e) => e.run('k') });
		await tick();
		engine.answer('k', 'v');
		expect(await c).toBe('v');
		expect(calls).toBe(2);
		expect(layer.stats).toMatchObject({ failed: 1, executed: 1 });
	});

	it('a failing run rejects only the callers of its key', async () => {
		const { engine, req, engineCalls } = setup({ concurrency: 2 });
		const bad1 = outcome(req('bad'));
		const bad2 = outcome(req('bad'));
		const good = req('good');
		await tick();
		engine.fail('bad', new Error('syntax'));
		engine.answer('good', 'fine');
		expect(await good).toBe('fine');
		expect(await bad1).toMatchObject({ ok: false, error: { message: 'syntax' } });
		expect(await bad2).toMatchObject({ ok: false, error: { message: 'syntax' } });
		expect(engineCalls()).toBe(2);
	});

	it('query() keys by SQL and parameters and passes the parameters to the engine', async () => {
		const engine = fakeEngine();
		const layer = new QueryLayer({ engine: async () => engine });
		const sql = 'SELECT count(*) AS n FROM t WHERE y = $1';
		const a = layer.query<{ n: number }>(sql, [2020]);
		const b = layer.query<{ n: number }>(sql, [2020], { priority: 1 });
		const c = layer.query<{ n: number }>(sql, [2021]);
		await tick();
		engine.answer(sqlKey(sql, [2020]), [{ n: 5 }]);
		await tick();
		engine.answer(sqlKey(sql, [2021]), [{ n: 7 }]);
		expect(await a).toEqual([{ n: 5 }]);
		expect(await b).toBe(await a);
		expect(await c).toEqual([{ n: 7 }]);
		expect(engine.started).toEqual([sqlKey(sql, [2020]), sqlKey(sql, [2021])]);
		expect(layer.stats.deduped).toBe(1);
	});
});

describe('QueryLayer: work that needs no engine', () => {
	it('runs at once beside a busy engine, never starts the engine, and is cached and deduped', async () => {
		const { engine, layer, req, engineCalls } = setup();
		const busy = req('sql');
		await tick();
		expect(engine.running).toEqual(['sql']);
		const file = deferred<string>();
		let runs = 0;
		let got: unknown = 'unset';
		const fetchCube = () =>
			layer.request({
				key: 'cube:x',
				engine: false,
				run: (e) => {
					runs++;
					got = e;
					return file.promise;
				}
			});
		const a = fetchCube();
		const b = fetchCube();
		await tick();
		// Started although the one engine slot is taken, and without an engine.
		expect(runs).toBe(1);
		expect(got).toBeUndefined();
		file.resolve('cube');
		expect(await a).toBe('cube');
		expect(await b).toBe('cube');
		expect(await fetchCube()).toBe('cube');
		expect(runs).toBe(1);
		expect(engineCalls()).toBe(1); // only the SQL request asked for the engine
		engine.answer('sql');
		await busy;
	});
});
