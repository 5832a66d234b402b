/**
 * What the service worker (src/service-worker.ts) keeps, and under which names. Pure functions
 * over the lists SvelteKit gives the worker (`$service-worker`: the built files, the files of
 * static/ and the prerendered pages), tested in tests/unit/offline.test.ts.
 *
 * Three caches, all named with the prefix `kzdm-`:
 * - `kzdm-app-<build version>`: the built scripts and styles (but the engine's .wasm), every
 *   prerendered page of the three languages with its `__data.json`, and the favicon. A new build
 *   fills a new one; the files whose hashed names did not change are copied from the old one.
 * - `kzdm-data-<release>-<key>`: the release's files under /data/ (Parquet, datapackage.json,
 *   disclosure files, rollups). The key is a hash of the release's datapackage.json and rollup
 *   manifest taken at build time, checked again against the files fetched: one cache holds one
 *   release only, and a page built from one release is never answered with files of another.
 * - `kzdm-engine`: the query engine's .wasm (one of DuckDB-WASM's two builds, 18-22 MB), kept
 *   across builds while its hashed name stays in the build; it is stored after the rest, when the
 *   page asks for it in idle time, or when the portal first loads it.
 */

export const CACHE_PREFIX = 'kzdm-';
export const ENGINE_CACHE = `${CACHE_PREFIX}engine`;
/** The entry a cache gets once every file of its list is in it (a partly filled cache is never used). */
export const COMPLETE_MARK = '/__kzdm-complete__';

export const appCacheName = (version: string) => `${CACHE_PREFIX}app-${version}`;
export const dataCacheName = (release: string, key: string) => `${CACHE_PREFIX}data-${release}-${key}`;

/** Embeds (/embed/, /ru/embed/, /kk/embed/) are framed into other sites: never kept, never answered by the worker. */
export const isEmbedPath = (pathname: string) => /^\/(?:(?:ru|kk)\/)?embed(?:\/|$)/.test(pathname);
/** Earlier releases (kept under /data/releases/): not part of the current release, never kept. */
export const isOtherRelease = (pathname: string) => pathname.startsWith('/data/releases/');
/** The engine's WebAssembly (the two DuckDB-WASM builds). */
export const isEngineWasm = (pathname: string) => /\/duckdb-(?:eh|mvp)\.[^/]*\.wasm$/.test(pathname);

export interface OfflinePlan {
	/** Pages, scripts, styles, workers: the app cache. */
	app: string[];
	/** The current release under /data/: the data cache. */
	data: string[];
	/** The engine .wasm of each build: fetched after the rest, only the one the browser runs. */
	engine: { eh?: string; mvp?: string };
}

/**
 * Splits the worker's lists into the three caches. `files` are static/'s files (the release is
 * among them); `prerendered` the pages and their `__data.json`.
 */
export function offlinePlan(build: readonly string[], files: readonly string[], prerendered: readonly string[]): OfflinePlan {
	const app = new Set<string>();
	const data = new Set<string>();
	const engine: OfflinePlan['engine'] = {};
	for (const p of build) {
		if (isEngineWasm(p)) {
			if (/\/duckdb-eh\./.test(p)) engine.eh = p;
			else engine.mvp = p;
		} else app.add(p);
	}
	for (const p of files) {
		if (isOtherRelease(p)) continue;
		if (p.startsWith('/data/')) data.add(p);
		else app.add(p);
	}
	for (const p of prerendered) if (!isEmbedPath(p) && !isOtherRelease(p)) app.add(p);
	return { app: [...app].sort(), data: [...data].sort(), engine };
}

/** The caches a worker of this version and release no longer needs (ours only; others are left alone). */
export function staleCaches(names: readonly string[], keep: readonly string[]): string[] {
	return names.filter((n) => n.startsWith(CACHE_PREFIX) && !keep.includes(n));
}

/**
 * The key under which a request's answer is stored: the path alone. A page's view lives in its
 * query (`/allegations/?from=2019`) and is the same file; a data file has no query.
 */
export function cacheKey(url: string | URL): string {
	return new URL(url).pathname;
}

/** The "page not found" page for an address, in the language of its prefix (as the hosts answer). */
export function notFoundPage(pathname: string): string {
	const lang = /^\/(ru|kk)(\/|$)/.exec(pathname)?.[1];
	return lang ? `/${lang}/404` : '/404';
}

/**
 * A minimal WebAssembly module that validates only where WebAssembly exception handling is
 * supported (the condition for DuckDB-WASM's "eh" build): one type `() -> ()`, one function of that
 * type whose body is `try` (0x06, empty block type 0x40), `catch_all` (0x19), `end`, `end`.
 */
export const EH_PROBE = new Uint8Array([
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
	0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: 1 type, func () -> ()
	0x03, 0x02, 0x01, 0x00, // function section: 1 function of type 0
	0x0a, 0x08, 0x01, 0x06, 0x00, 0x06, 0x40, 0x19, 0x0b, 0x0b // code: 1 body of 6 bytes, no locals, try, catch_all, end, end
]);

/** The engine .wasm this browser will run: the "eh" build where exception handling validates. */
export function engineFor(engine: OfflinePlan['engine'], hasExceptions: boolean): string | undefined {
	return (hasExceptions ? engine.eh : undefined) ?? engine.mvp ?? engine.eh;
}

/** What the worker tells a page about itself (answer to `status`, `cache-engine`; sent on install as `installed`). */
export interface WorkerStatus {
	type: 'status' | 'installed';
	version: string;
	release: string;
	/** The app and the release are stored (always, once the worker is installed). */
	stored: boolean;
	/** The engine's .wasm for this browser is stored too: the portal works offline. */
	engine: boolean;
	error?: string;
}
