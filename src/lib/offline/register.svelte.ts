/**
 * The page's side of offline use (README, "Offline use"): registers the service worker
 * (src/service-worker.ts) once the page has loaded and the browser is idle, so it never delays the
 * first paint; then asks it to store the engine's .wasm; checks for a newer release; and holds what
 * the reader is told (src/lib/offline/OfflineStatus.svelte). Never loaded by embeds.
 */
import type { WorkerStatus } from './plan';

export type OfflinePhase = 'none' | 'saving' | 'saved' | 'ready' | 'error';

export const offline = $state({
	/** How far the site is kept on this device. */
	phase: 'none' as OfflinePhase,
	/** The release the worker keeps. */
	release: '',
	error: '',
	online: true,
	/** A newer build or release: `ready` once its worker has stored it and waits to take over. */
	update: null as null | { release: string; ready: boolean }
});

/** How often an open page asks whether a newer release was published (and the worker checks for a new build). */
const CHECK_EVERY_MS = 30 * 60_000;

let registration: ServiceWorkerRegistration | undefined;
let reloading = false;

/** Asks a worker a question and waits for its answer on a channel of its own. */
function ask(worker: ServiceWorker, type: 'status' | 'cache-engine'): Promise<WorkerStatus> {
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = (e) => resolve(e.data as WorkerStatus);
		worker.postMessage({ type }, [channel.port2]);
	});
}

function setPhase(s: WorkerStatus) {
	offline.release = s.release;
	offline.error = s.error ?? '';
	offline.phase = s.error ? 'error' : s.engine ? 'ready' : s.stored ? 'saved' : 'saving';
	// For the browser tests (no style reads it).
	document.documentElement.dataset.offline = offline.phase;
}

/** A worker of a newer build waits: say so, naming its release. */
async function announce(worker: ServiceWorker, pageRelease: string) {
	const s = await ask(worker, 'status');
	offline.update = { release: s.release === pageRelease ? '' : s.release, ready: true };
}

/** Reload into the waiting build: it takes over (and drops the old release), then the page reloads. */
export function reloadToUpdate() {
	const waiting = registration?.waiting;
	if (waiting && navigator.serviceWorker.controller) {
		reloading = true;
		waiting.postMessage({ type: 'skip-waiting' });
	} else location.reload();
}

/** Asks the server (past the worker's caches) which release it publishes now. */
async function checkRelease(pageRelease: string) {
	if (!navigator.onLine) return;
	try {
		const res = await fetch(`/data/datapackage.json?check=${Date.now()}`, { cache: 'no-store' });
		if (!res.ok) return;
		const version = ((await res.json()) as { version?: unknown }).version;
		if (typeof version === 'string' && version !== pageRelease && !offline.update?.ready) offline.update = { release: version, ready: false };
		await registration?.update();
	} catch {
		// Offline or the server unreachable: the next check will tell.
	}
}

/** Starts offline use for a page built from `pageRelease`; returns the function that stops listening. */
export function startOffline(pageRelease: string): () => void {
	const sw = navigator.serviceWorker;
	const ac = new AbortController();
	const { signal } = ac;
	let timer: ReturnType<typeof setInterval> | undefined;
	offline.online = navigator.onLine;
	addEventListener('online', () => ((offline.online = true), void checkRelease(pageRelease)), { signal });
	addEventListener('offline', () => (offline.online = false), { signal });
	sw.addEventListener('controllerchange', () => reloading && location.reload(), { signal });
	// A worker that has just stored everything says so; if another already controls the page, it is an update.
	sw.addEventListener(
		'message',
		(e) => {
			const s = e.data as WorkerStatus | null;
			if (s?.type !== 'installed') return;
			if (sw.controller && e.source instanceof ServiceWorker && e.source !== sw.controller) void announce(e.source, pageRelease);
			else if (!sw.controller) setPhase(s);
		},
		{ signal }
	);

	const idle = new Promise<void>((resolve) => {
		const later = () => ('requestIdleCallback' in window ? requestIdleCallback(() => resolve(), { timeout: 5000 }) : setTimeout(resolve, 1000));
		if (document.readyState === 'complete') later();
		else addEventListener('load', later, { once: true, signal });
	});

	void (async () => {
		await idle;
		if (signal.aborted) return;
		if (!sw.controller) {
			offline.phase = 'saving';
			document.documentElement.dataset.offline = 'saving';
		}
		// Where the browser will not keep a worker (a private window, a policy, an automated browser
		// that blocks them) the site simply works online: nothing to tell the reader.
		const reg = await sw.register('/service-worker.js', { scope: '/' }).catch(() => undefined);
		if (!reg) {
			offline.phase = 'none';
			document.documentElement.dataset.offline = 'unavailable';
			return;
		}
		registration = reg;
		// A first install that fails (a file missing, or the server's release not the pages' one: the
		// worker's console names it) leaves the site as it was; the next visit tries again.
		const first = reg.installing;
		if (first && !sw.controller)
			first.addEventListener('statechange', () => {
				if (first.state !== 'redundant' || sw.controller) return;
				offline.phase = 'error';
				offline.error = '';
				document.documentElement.dataset.offline = 'error';
			});
		reg.addEventListener(
			'updatefound',
			() => {
				const w = reg.installing;
				w?.addEventListener('statechange', () => w.state === 'installed' && sw.controller && void announce(w, pageRelease));
			},
			{ signal }
		);
		if (reg.waiting && sw.controller) void announce(reg.waiting, pageRelease);
		const active = (await sw.ready).active;
		if (!active || signal.aborted) return;
		setPhase(await ask(active, 'status'));
		void checkRelease(pageRelease);
		timer = setInterval(() => document.visibilityState === 'visible' && void checkRelease(pageRelease), CHECK_EVERY_MS);
		// The engine's .wasm last (18-22 MB): the portal then works offline too.
		if (!offline.error) setPhase(await ask(active, 'cache-engine'));
	})().catch((err: unknown) => {
		offline.phase = 'error';
		offline.error = err instanceof Error ? err.message : String(err);
		document.documentElement.dataset.offline = 'error';
	});

	return () => {
		ac.abort();
		clearInterval(timer);
	};
}
