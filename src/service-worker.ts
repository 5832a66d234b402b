/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
/**
 * Keeps the site for use without a connection (README, "Offline use"). On install it stores the
 * current build's pages (three languages), scripts and styles, and the current release's files
 * under /data/; the engine's .wasm is stored afterwards, when a page asks in idle time or when
 * the portal first loads it (src/lib/offline/plan.ts says what goes where and why).
 *
 * Everything it answers comes from its own caches first, so a page built from one release is
 * only ever given that release's files; the network is asked only for what is not kept. A new
 * build is a new worker: it fills its own caches while this one keeps serving, waits, and takes
 * over when the reader accepts the announcement (src/lib/offline/register.ts); then the old
 * release's caches are dropped. Embeds and earlier releases (/data/releases/) pass by untouched.
 */
import { build, files, prerendered, version } from '$service-worker';
import {
	COMPLETE_MARK,
	EH_PROBE,
	ENGINE_CACHE,
	appCacheName,
	cacheKey,
	dataCacheName,
	engineFor,
	isEmbedPath,
	isEngineWasm,
	isOtherRelease,
	notFoundPage,
	offlinePlan,
	staleCaches,
	type WorkerStatus
} from '$lib/offline/plan';
import { rangeAnswer } from '$lib/offline/range';

const sw = self as unknown as ServiceWorkerGlobalScope;
const RELEASE = __OFFLINE_RELEASE__;
const DATA_KEY = __OFFLINE_DATA_KEY__;
const plan = offlinePlan(build, files, prerendered);
const APP = appCacheName(version);
const DATA = dataCacheName(RELEASE, DATA_KEY);
/** Requests at a time while filling a cache: gentle on a poor connection. */
const PARALLEL = 4;


/** A copy of a network answer fit to keep: the decoded body with its own length, the site's headers. */
async function keepable(res: Response): Promise<Response> {
	const body = await res.arrayBuffer();
	const headers = new Headers(res.headers);
	for (const h of ['content-encoding', 'content-length', 'transfer-encoding', 'content-range']) headers.delete(h);
	headers.set('Content-Length', String(body.byteLength));
	return new Response(body, { status: 200, statusText: 'OK', headers });
}

async function fetchOk(path: string): Promise<Response> {
	// 'no-cache': revalidated with the server (a 304 costs little), never an outdated copy.
	const res = await fetch(path, { cache: 'no-cache', credentials: 'same-origin' });
	if (res.status !== 200) throw new Error(`Could not store ${path} for offline use (HTTP ${res.status})`);
	return res;
}

async function isComplete(name: string): Promise<boolean> {
	if (!(await caches.has(name))) return false;
	return Boolean(await (await caches.open(name)).match(COMPLETE_MARK));
}

/** A file of an earlier build with the same hashed name (the same bytes): copied instead of downloaded. */
async function earlierCopy(path: string): Promise<Response | undefined> {
	if (!path.startsWith('/_app/immutable/')) return undefined;
	for (const name of await caches.keys()) {
		if (!name.startsWith('kzdm-app-') || name === APP) continue;
		const r = await (await caches.open(name)).match(path);
		if (r) return r;
	}
	return undefined;
}

/**
 * Fills cache `name` with `paths`, all or nothing: a cache that is already complete is kept; on any
 * failure the cache is deleted and the error (naming the file) fails the install.
 */
async function fill(name: string, paths: string[], check?: (cache: Cache) => Promise<void>): Promise<void> {
	if (await isComplete(name)) return;
	await caches.delete(name);
	const cache = await caches.open(name);
	try {
		let next = 0;
		const worker = async () => {
			while (next < paths.length) {
				const path = paths[next++];
				const res = (await earlierCopy(path)) ?? (await keepable(await fetchOk(path)));
				await cache.put(path, res);
			}
		};
		await Promise.all(Array.from({ length: Math.min(PARALLEL, paths.length) }, worker));
		if (check) await check(cache);
		await cache.put(COMPLETE_MARK, new Response(version));
	} catch (err) {
		await caches.delete(name);
		throw err;
	}
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The stored release must be the one the pages were built from: the same datapackage.json and
 * rollup manifest (scripts/lib/offline-key.mjs computes the key at build time the same way).
 */
async function checkRelease(cache: Cache): Promise<void> {
	const pkg = await cache.match('/data/datapackage.json');
	const manifest = await cache.match('/data/rollups/manifest.json');
	if (!pkg || !manifest) throw new Error('The release has no /data/datapackage.json or /data/rollups/manifest.json: not stored for offline use');
	const a = new Uint8Array(await pkg.clone().arrayBuffer());
	const b = new Uint8Array(await manifest.arrayBuffer());
	const joined = new Uint8Array(a.byteLength + 1 + b.byteLength);
	joined.set(a, 0);
	joined[a.byteLength] = 0x0a;
	joined.set(b, a.byteLength + 1);
	const key = hex(await crypto.subtle.digest('SHA-256', joined)).slice(0, 16);
	if (key !== DATA_KEY) {
		let found = '?';
		try {
			found = String((JSON.parse(new TextDecoder().decode(a)) as { version?: unknown }).version);
		} catch {
			/* named as '?' */
		}
		throw new Error(`The server's /data/datapackage.json (release ${found}) is not the release these pages were built from (${RELEASE}): not stored for offline use`);
	}
}

const engineWasm = () => engineFor(plan.engine, WebAssembly.validate(EH_PROBE));

async function engineStored(): Promise<boolean> {
	const wasm = engineWasm();
	return !wasm || Boolean(await (await caches.open(ENGINE_CACHE)).match(wasm));
}

async function cacheEngine(): Promise<void> {
	const wasm = engineWasm();
	if (!wasm || (await engineStored())) return;
	const res = await keepable(await fetchOk(wasm));
	await (await caches.open(ENGINE_CACHE)).put(wasm, res);
}

async function status(error?: string): Promise<WorkerStatus> {
	return { type: 'status', version, release: RELEASE, stored: (await isComplete(APP)) && (await isComplete(DATA)), engine: await engineStored(), ...(error ? { error } : {}) };
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			if (!RELEASE || !DATA_KEY) throw new Error('This service worker was built without a release (static/data/datapackage.json): nothing to keep offline');
			await fill(DATA, plan.data, checkRelease);
			await fill(APP, plan.app);
			// Tell the open pages: the first install says the site is kept; a later one, that a new
			// build (perhaps a new release) is ready to take over.
			const msg = await status();
			for (const c of await sw.clients.matchAll({ type: 'window', includeUncontrolled: true })) c.postMessage({ ...msg, type: 'installed' });
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const name of staleCaches(await caches.keys(), [APP, DATA, ENGINE_CACHE])) await caches.delete(name);
			const engine = await caches.open(ENGINE_CACHE);
			for (const req of await engine.keys()) if (!build.includes(cacheKey(req.url))) await engine.delete(req);
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	const type = (event.data as { type?: unknown } | null)?.type;
	const reply = (s: WorkerStatus) => (event.ports[0] ?? event.source)?.postMessage(s);
	if (type === 'skip-waiting') void sw.skipWaiting();
	else if (type === 'status') event.waitUntil(status().then(reply));
	else if (type === 'cache-engine')
		event.waitUntil(
			cacheEngine().then(
				() => status().then(reply),
				(err: unknown) => status(err instanceof Error ? err.message : String(err)).then(reply)
			)
		);
});

async function lookup(path: string): Promise<Response | undefined> {
	for (const name of [APP, DATA, ENGINE_CACHE]) {
		if (!(await caches.has(name))) continue;
		const r = await (await caches.open(name)).match(path);
		if (r) return r;
	}
	return undefined;
}

/** A stored file as the request asks it: whole, its headers only (HEAD), or one range (206/416). */
async function answer(stored: Response, req: Request): Promise<Response> {
	const range = req.headers.get('range');
	if (req.method === 'GET' && !range) return stored;
	const bytes = new Uint8Array(await stored.arrayBuffer());
	const a = rangeAnswer(bytes, stored.headers.get('content-type') ?? 'application/octet-stream', req.method, range);
	const headers = new Headers(stored.headers);
	headers.delete('content-range');
	for (const [k, v] of Object.entries(a.headers)) headers.set(k, v);
	return new Response(a.body as BodyInit | null, { status: a.status, headers });
}

async function respond(req: Request, url: URL): Promise<Response> {
	const path = cacheKey(url);
	const stored = await lookup(path);
	if (stored) return answer(stored, req);
	try {
		const res = await fetch(req);
		// The engine's .wasm, first loaded by the portal before the idle-time copy was made.
		if (isEngineWasm(path) && req.method === 'GET' && res.status === 200 && build.includes(path)) {
			const copy = res.clone();
			void keepable(copy).then(async (r) => (await caches.open(ENGINE_CACHE)).put(path, r)).catch(() => {});
		}
		return res;
	} catch (err) {
		// Offline at an address with nothing kept: the "page not found" page of its language.
		if (req.mode === 'navigate') {
			const page = await lookup(notFoundPage(path));
			if (page) return new Response(page.body, { status: 404, headers: page.headers });
		}
		throw err;
	}
}

sw.addEventListener('fetch', (event) => {
	const req = event.request;
	if (req.method !== 'GET' && req.method !== 'HEAD') return;
	const url = new URL(req.url);
	if (url.origin !== sw.location.origin) return;
	if (isEmbedPath(url.pathname) || isOtherRelease(url.pathname) || url.pathname === '/service-worker.js') return;
	// The pages' check for a newer release (src/lib/offline/register.ts) asks the server itself.
	if (url.pathname === '/data/datapackage.json' && url.searchParams.has('check')) {
		event.respondWith(fetch(req, { cache: 'no-store' }));
		return;
	}
	event.respondWith(respond(req, url));
});
