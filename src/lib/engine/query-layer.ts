import { StaleResultError } from './types';
import type { Row, SqlParam } from './types';

/**
 * The one road from views to the engine. DuckDB-WASM answers one query at a time and a started
 * conn.query cannot be cancelled, so the cheapest query is the one never sent: this layer
 * shares identical work in flight (dedupe), remembers answers (LRU cache), drops queued work a
 * newer request made pointless (channels), and runs what is left on-screen first (priority).
 */
export interface LayerRequest<T, E = unknown> {
	/** Identity of the answer: equal keys mean equal answers (e.g. sql + '\u0000' + JSON.stringify(params)). */
	key: string;
	/** Does the work on the engine. Called at most once per key while in flight or cached. */
	run: (engine: E) => Promise<T>;
	/** Lower runs first (0 = visible on screen, 1 = below the fold/hidden, 2 = prefetch). Default 0. */
	priority?: number;
	/**
	 * A newer request on the same channel makes the older ones stale: queued ones reject with
	 * StaleResultError at once and, if nobody else wants their key, never run; a running one
	 * rejects its caller with StaleResultError when it settles (its answer is still cached).
	 */
	channel?: string;
	/** Keep the answer in the LRU cache (default true). Failed answers are never cached. A cached answer is served either way. */
	cache?: boolean;
	/**
	 * false: the work does not need the engine (e.g. fetching a rollup file): it starts at once,
	 * beside whatever the engine is doing, and never starts the engine. `run` then gets undefined.
	 */
	engine?: boolean;
}

export interface QueryLayerOptions<E> {
	/** Called once per run (not memoised here, so a failed start is retried by the next run). */
	engine: () => Promise<E>;
	/** Cached answers kept, in entries (default 200). */
	cacheSize?: number;
	/** Runs at once (default 1: DuckDB-WASM has one worker and runs one query at a time anyway). */
	concurrency?: number;
}

/** requested/cacheHits/deduped count requests; dropped/executed/failed count runs (failed includes engine() failures). */
export type QueryLayerStats = Record<'requested' | 'cacheHits' | 'deduped' | 'dropped' | 'executed' | 'failed', number>;

/** Anything with the Engine's query method (what `query()` needs). */
export interface SqlEngine {
	query<T extends object = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
}

/** One caller waiting for one key. */
interface Caller {
	channel?: string;
	priority: number;
	/** Set when a newer request arrives on the same channel. */
	stale: boolean;
	entry?: Entry;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
}

/** One run of one key, shared by every caller that wants that key. */
interface Entry {
	key: string;
	run: (engine: never) => Promise<unknown>;
	/** Best (lowest) priority of its callers; arrival breaks ties. */
	priority: number;
	seq: number;
	cache: boolean;
	/** Needs the engine (false: runs at once, outside the engine's slots). */
	engine: boolean;
	state: 'queued' | 'running';
	callers: Caller[];
}

/** The key `query()` uses: the text and the bound values (never spliced, so both are needed). */
export function sqlKey(sql: string, params: readonly SqlParam[] = []): string {
	return sql + '\u0000' + JSON.stringify(params);
}

export class QueryLayer<E> {
	private readonly engine: () => Promise<E>;
	private readonly cacheSize: number;
	private readonly concurrency: number;
	/** Map keeps insertion order: the first key is the least recently used. */
	private readonly cache = new Map<string, unknown>();
	/** Runs queued or running, by key (dedupe). */
	private readonly pending = new Map<string, Entry>();
	private readonly queue: Entry[] = [];
	/** The newest waiting caller of each channel: the only one that may still get an answer. */
	private readonly latest = new Map<string, Caller>();
	private readonly counts: QueryLayerStats = { requested: 0, cacheHits: 0, deduped: 0, dropped: 0, executed: 0, failed: 0 };
	private active = 0;
	private seq = 0;
	private scheduled = false;
	/** Bumped by clear(): a run started before it may have read old data, so it is not cached. */
	private epoch = 0;

	constructor(options: QueryLayerOptions<E>) {
		this.engine = options.engine;
		this.cacheSize = Math.max(0, options.cacheSize ?? 200);
		this.concurrency = Math.max(1, options.concurrency ?? 1);
	}

	get stats(): Readonly<QueryLayerStats> {
		return { ...this.counts };
	}

	request<T>(req: LayerRequest<T, E>): Promise<T> {
		this.counts.requested++;
		let caller!: Caller;
		const promise = new Promise<T>((resolve, reject) => {
			caller = { channel: req.channel, priority: req.priority ?? 0, stale: false, resolve: resolve as (v: unknown) => void, reject };
		});
		if (this.cache.has(req.key)) {
			const value = this.cache.get(req.key);
			this.cache.delete(req.key); // re-insert: now the most recently used
			this.cache.set(req.key, value);
			this.counts.cacheHits++;
			this.supersede(req.channel);
			caller.resolve(value);
			return promise;
		}
		let entry = this.pending.get(req.key);
		if (entry) {
			this.counts.deduped++;
			entry.priority = Math.min(entry.priority, caller.priority);
			entry.cache ||= req.cache !== false;
		} else {
			entry = { key: req.key, run: req.run, priority: caller.priority, seq: this.seq++, cache: req.cache !== false, engine: req.engine !== false, state: 'queued', callers: [] };
			this.pending.set(req.key, entry);
			this.queue.push(entry);
			this.schedule();
		}
		entry.callers.push(caller);
		caller.entry = entry;
		// Attach first, then supersede: re-asking the same key on a channel keeps its queued run.
		this.supersede(req.channel);
		if (req.channel !== undefined) this.latest.set(req.channel, caller);
		return promise;
	}

	/** Convenience for SQL engines: the key is the SQL text plus its parameters. */
	query<T extends object = Row>(
		this: QueryLayer<SqlEngine>,
		sql: string,
		params?: readonly SqlParam[],
		options?: Omit<LayerRequest<T[]>, 'key' | 'run'>
	): Promise<T[]> {
		return this.request<T[]>({ ...options, key: sqlKey(sql, params), run: (engine) => engine.query<T>(sql, params) });
	}

	/**
	 * The cached answer of `key`, if any, without running anything, counting a request or making
	 * it more recently used (e.g. rehearsals, which may use only what the page already has).
	 */
	peek<T>(key: string): T | undefined {
		return this.cache.get(key) as T | undefined;
	}

	/** Re-rank the queued request of a channel (e.g. its view scrolled into sight). Running work is unaffected. */
	prioritize(channel: string, priority: number): void {
		const caller = this.latest.get(channel);
		if (!caller?.entry || caller.entry.state !== 'queued') return;
		caller.priority = priority;
		caller.entry.priority = Math.min(...caller.entry.callers.map((c) => c.priority));
	}

	/** Empties the cache (e.g. the data changed). Runs in flight still answer their callers but are not cached. */
	clear(): void {
		this.cache.clear();
		this.epoch++;
	}

	/** The previous caller on this channel is stale; if its run has not started, let it go now. */
	private supersede(channel: string | undefined): void {
		if (channel === undefined) return;
		const prev = this.latest.get(channel);
		if (!prev) return;
		this.latest.delete(channel);
		prev.stale = true;
		const entry = prev.entry;
		if (!entry || entry.state !== 'queued') return; // running: start() answers it with StaleResultError
		entry.callers.splice(entry.callers.indexOf(prev), 1);
		prev.reject(new StaleResultError());
		if (entry.callers.length === 0) {
			// Nobody else wants this key: the run never happens.
			this.pending.delete(entry.key);
			this.queue.splice(this.queue.indexOf(entry), 1);
			this.counts.dropped++;
		} else {
			entry.priority = Math.min(...entry.callers.map((c) => c.priority));
		}
	}

	/** Start work in a microtask, so the requests a page's views make in one tick are ranked together. */
	private schedule(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		queueMicrotask(() => {
			this.scheduled = false;
			this.pump();
		});
	}

	private pump(): void {
		// Work without the engine does not wait for it, nor hold one of its slots.
		for (const entry of this.queue.filter((e) => !e.engine)) {
			this.queue.splice(this.queue.indexOf(entry), 1);
			void this.start(entry);
		}
		while (this.active < this.concurrency && this.queue.length > 0) {
			// Lowest priority first, then arrival. The queue holds a page's worth of views: a scan is enough.
			const q = this.queue;
			const best = q.reduce((b, e, i) => ((e.priority - q[b].priority || e.seq - q[b].seq) < 0 ? i : b), 0);
			const [entry] = q.splice(best, 1);
			void this.start(entry);
		}
	}

	private async start(entry: Entry): Promise<void> {
		entry.state = 'running';
		if (entry.engine) this.active++;
		const epoch = this.epoch;
		let ok = false, value: unknown, error: unknown;
		try {
			const engine = entry.engine ? await this.engine() : undefined;
			this.counts.executed++;
			value = await (entry.run as (engine: E | undefined) => Promise<unknown>)(engine);
			ok = true;
		} catch (err) {
			error = err;
			this.counts.failed++;
		}
		if (entry.engine) this.active--;
		this.pending.delete(entry.key);
		if (ok && entry.cache && epoch === this.epoch) this.remember(entry.key, value);
		for (const caller of entry.callers) {
			if (caller.channel !== undefined && this.latest.get(caller.channel) === caller) this.latest.delete(caller.channel);
			if (caller.stale) caller.reject(new StaleResultError());
			else if (ok) caller.resolve(value);
			else caller.reject(error);
		}
		this.schedule();
	}

	private remember(key: string, value: unknown): void {
		if (this.cacheSize === 0) return;
		this.cache.set(key, value);
		while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
	}
}
