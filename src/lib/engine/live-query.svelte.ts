import { latestWins, isStale } from './latest';
import { pageEngine } from './page-engine';
import type { Engine } from './types';

/** For the benchmark: when the browser engine first answered on this page. */
function markEngineAnswered() {
	if (typeof window === 'undefined' || window.__engineReadyAt !== undefined) return;
	window.__engineReadyAt = performance.now();
	performance.mark('engine-first-query');
}

/**
 * Counts of view updates started and settled on this page, for the benchmark and tests to know
 * when the page has answered the latest change (settled === started).
 */
function queryCounter(): { started: number; settled: number } {
	const w = window as unknown as { __kzQueries?: { started: number; settled: number } };
	return (w.__kzQueries ??= { started: 0, settled: 0 });
}

export type LiveStatus = 'loading' | 'ready' | 'error';

/**
 * Deep equality of answers (plain objects, arrays, numbers, strings, booleans, null), without
 * building strings: a filter change compares every chart's answer with the previous one, and
 * JSON.stringify of both allocated enough to set off the garbage collector inside the change.
 * NaN equals NaN; a property set to undefined counts as absent.
 */
export function sameData(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	const aArray = Array.isArray(a);
	if (aArray !== Array.isArray(b)) return false;
	if (aArray) {
		const x = a as unknown[];
		const y = b as unknown[];
		if (x.length !== y.length) return false;
		for (let i = 0; i < x.length; i++) if (!sameData(x[i], y[i])) return false;
		return true;
	}
	const x = a as Record<string, unknown>;
	const y = b as Record<string, unknown>;
	let n = 0;
	for (const k in x) {
		if (!Object.hasOwn(x, k) || x[k] === undefined) continue;
		n++;
		if (!Object.hasOwn(y, k) || !sameData(x[k], y[k])) return false;
	}
	for (const k in y) if (Object.hasOwn(y, k) && y[k] !== undefined) n--;
	return n === 0;
}

const same = sameData;

/**
 * Structural sharing: `next`, except that every top-level part equal to the previous answer's
 * keeps its old object. A chart whose part did not change then receives the very same object
 * and Svelte does not redraw it; an answer equal to the previous one changes nothing at all.
 */
export function reconcile<T>(prev: T | undefined, next: T): T {
	if (prev === undefined || prev === null || next === null || typeof prev !== 'object' || typeof next !== 'object') return next;
	if (Array.isArray(prev) || Array.isArray(next)) return same(prev, next) ? prev : next;
	const a = prev as Record<string, unknown>;
	const b = next as Record<string, unknown>;
	let changed = Object.keys(a).length !== Object.keys(b).length;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(b)) {
		if (Object.hasOwn(a, key) && same(a[key], b[key])) out[key] = a[key];
		else {
			out[key] = b[key];
			changed = true;
		}
	}
	return changed ? (out as T) : prev;
}

/** A new task (not a microtask), without setTimeout's 4 ms clamp: the browser may paint or handle input first. */
function nextTask(): Promise<void> {
	const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
	if (s?.yield) return s.yield();
	return new Promise((resolve) => {
		const ch = new MessageChannel();
		ch.port1.onmessage = () => resolve();
		ch.port2.postMessage(null);
	});
}

/**
 * The engine, except that each view continues in a task of its own once its rollup has arrived:
 * when the page's views take over from the build together, their slicing is several short tasks
 * instead of one long one that would block input.
 */
function yielding(engine: Engine): Engine {
	return { ...engine, cube: async (name) => {
		const cube = await engine.cube(name);
		await nextTask();
		return cube;
	} };
}

/**
 * One view's data: starts from the build-time answer (if any), then asks the browser engine.
 * Latest wins: an answer to an older request is dropped, so rapid changes end on the last one.
 * The data is raw state (not a deep proxy) with structural sharing, so only changed parts redraw.
 */
export class LiveQuery<T> {
	#data = $state.raw<T | undefined>(undefined);
	status = $state<LiveStatus>('loading');
	error = $state<string | undefined>(undefined);
	/** True while a newer answer is on its way and an older one is shown. */
	updating = $state(false);
	/** True once the browser engine (not the build) has answered. */
	live = $state(false);
	#latest = latestWins();
	#engine: () => Promise<Engine>;

	constructor(initial?: T, engine: () => Promise<Engine> = pageEngine) {
		this.#engine = engine;
		if (initial !== undefined) {
			this.#data = initial;
			this.status = 'ready';
		}
	}

	get data(): T | undefined {
		return this.#data;
	}

	/**
	 * Ask the engine. `quiet`: the answer is expected to equal what is shown (the browser taking
	 * over the build-time view), so do not show "updating".
	 */
	async run(task: (engine: Engine) => Promise<T>, options: { quiet?: boolean } = {}): Promise<void> {
		if (this.#data === undefined) this.status = 'loading';
		const counter = queryCounter();
		counter.started++;
		let answered = false;
		// Latest wins: this request's generation is taken when it is asked (synchronously).
		const answer = this.#latest.run(async () => {
			const engine = await this.#engine();
			return task(options.quiet ? yielding(engine) : engine);
		});
		const mine = this.#latest.generation;
		if (this.#data !== undefined && !options.quiet) {
			// "Updating" only when the answer has not come by the next task and no newer request was
			// asked since. An answer sliced from a rollup already in memory comes in this task:
			// marking every chart busy and then not busy before anything is painted would only be
			// work for the page.
			setTimeout(() => {
				if (!answered && mine === this.#latest.generation) this.updating = true;
			}, 0);
		}
		try {
			const result = await answer;
			const next = reconcile(this.#data, result);
			if (next !== this.#data) this.#data = next;
			this.status = 'ready';
			this.error = undefined;
			this.live = true;
			this.updating = false;
			markEngineAnswered();
		} catch (err) {
			if (isStale(err)) return;
			this.error = err instanceof Error ? err.message : String(err);
			this.updating = false;
			// The browser engine failed while taking over a view that is already on screen (the
			// build-time answer): keep showing it; only `error` says the live engine is missing.
			if (!(options.quiet && this.#data !== undefined)) this.status = 'error';
		} finally {
			answered = true;
			counter.settled++;
		}
	}
}
