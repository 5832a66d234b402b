/**
 * One sample of one page: a cold load in a new browser context (empty cache), then one uncounted
 * warm-up change and N timed filter changes (changes.ts), with the bytes (network.ts) and memory
 * (memory.ts) around them.
 */
import type { Browser } from '@playwright/test';
import { INSTRUMENT, runChanges, seedFor, type ChangeRun } from './changes';
import { findBrowserPid, rendererMemory, waitForNoRenderers, type RendererMemory } from './memory';
import { kb, NetworkLedger } from './network';

export interface SampleOptions {
	changes: number;
	timeoutMs: number;
	noUpdateMs: number;
	pauseMs: number;
	/** How long the network must be quiet, with no engine started, to call a page "engine on interaction". */
	quietMs: number;
}

export interface Sample {
	run: number;
	/** ms since navigation */
	fcp: number;
	/** window.__engineReadyAt: ms since navigation when the browser engine first answered. */
	engineReadyAt: number;
	/** false: the page did not start the engine until the first (warm-up) change. */
	engineBeforeInteraction: boolean;
	kbBeforeFcp: number;
	kbBeforeAnswer: number;
	/** Everything up to the load having gone quiet (engine answered, or no engine before interaction). */
	kbLoad: number;
	/** Everything by the end of the run (load + all changes). */
	kbEnd: number;
	/** Of kbEnd: 206 answers to range requests (DuckDB's Parquet reads from its worker) and the .wasm. */
	kbRanges: number;
	kbWasm: number;
	/** Of kbEnd: .parquet files (released tables and rollups), whole or in ranges. */
	kbParquet: number;
	/** What the page's own resource timing reports at load (no worker requests), for comparison. */
	kbResourceTimingLoad: number;
	requests: number;
	foreign: string[];
	failedRequests: number;
	heapMbLoad: number;
	heapMbEnd: number;
	rendererLoad: RendererMemory;
	rendererEnd: RendererMemory;
	changes: ChangeRun;
	/** The page's uncaught errors and console errors (first 10). */
	pageErrors: string[];
}

/** The page could not be measured (e.g. its views settled without any live answer). */
export class SampleError extends Error {}

type Win = { __engineReadyAt?: number };

export async function takeSample(browser: Browser, origin: string, path: string, run: number, o: SampleOptions): Promise<Sample> {
	// Embeds are measured at the size of the embed snippet's iframe.
	const viewport = path.startsWith('/embed/') ? { width: 640, height: 560 } : { width: 1280, height: 800 };
	// Service workers blocked: the offline worker registers only once the page is idle and then stores
	// the site and the engine (about 25 MB) in the background, which would add noise to the filter
	// timings and make them incomparable with earlier results; first paint is not affected by it.
	const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
	const browserPid = findBrowserPid();
	try {
		const page = await context.newPage();
		const net = new NetworkLedger(page);
		const pageErrors: string[] = [];
		const note = (m: string) => void (pageErrors.length < 10 && pageErrors.push(m.slice(0, 300)));
		page.on('pageerror', (e) => note(e.message));
		page.on('console', (m) => m.type() === 'error' && note(m.text()));
		const cdp = await context.newCDPSession(page);
		await cdp.send('Performance.enable');
		const heapMb = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 1048576;
		await page.addInitScript(INSTRUMENT);

		await page.goto(origin + path, { waitUntil: 'load', timeout: 120_000 });
		const loadedAt = Date.now();
		// Until the engine has answered; or, if no engine has started and the network has been quiet
		// for quietMs, the page waits for the reader (an embed may load the engine only on interaction).
		let engineBeforeInteraction = true;
		for (;;) {
			const w = (await page.evaluate(() => {
				const x = window as unknown as Win & { __kzQueries?: { started: number; settled: number } };
				return { ready: x.__engineReadyAt, q: x.__kzQueries };
			})) as { ready?: number; q?: { started: number; settled: number } };
			if (w.ready !== undefined) break;
			const quiet = net.inflight <= 0 && Date.now() - net.lastActivity > o.quietMs && Date.now() - loadedAt > o.quietMs;
			if (!net.engineStarted && quiet) {
				engineBeforeInteraction = false;
				break;
			}
			if (quiet && w.q && w.q.started > 0 && w.q.settled === w.q.started) {
				throw new SampleError(`every view settled without a live answer (engine failed?)${pageErrors.length ? ': ' + pageErrors.join(' | ') : ''}`);
			}
			if (Date.now() - loadedAt > o.timeoutMs) throw new SampleError(`no engine answer after ${o.timeoutMs} ms`);
			await page.waitForTimeout(50);
		}
		await net.idle(500);
		const loadMark = net.mark;
		const atLoad = (await page.evaluate(`(() => {
			const nav = performance.getEntriesByType('navigation')[0];
			const res = performance.getEntriesByType('resource');
			return {
				timeOrigin: performance.timeOrigin,
				fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
				rtBytes: (nav ? nav.transferSize : 0) + res.reduce((s, e) => s + e.transferSize, 0)
			};
		})()`)) as { timeOrigin: number; fcp: number; rtBytes: number };
		const heapMbLoad = await heapMb();
		const rendererLoad = rendererMemory(browserPid);

		const changes = await runChanges(page, {
			seed: seedFor(path, run),
			count: o.changes,
			timeoutMs: o.timeoutMs,
			noUpdateMs: o.noUpdateMs,
			pauseMs: o.pauseMs
		});
		await net.idle(300);
		const heapMbEnd = await heapMb();
		const rendererEnd = rendererMemory(browserPid);
		const engineReadyAt = ((await page.evaluate(() => (window as unknown as Win).__engineReadyAt)) as number | undefined) ?? NaN;

		const all = await net.transfers();
		const load = await net.transfers(loadMark);
		const since = (t: { endEpoch: number }) => t.endEpoch - atLoad.timeOrigin;
		return {
			run,
			fcp: atLoad.fcp,
			engineReadyAt,
			engineBeforeInteraction,
			kbBeforeFcp: kb(all, (t) => since(t) <= atLoad.fcp),
			kbBeforeAnswer: kb(all, (t) => since(t) <= engineReadyAt),
			kbLoad: kb(load),
			kbEnd: kb(all),
			kbRanges: kb(all, (t) => t.range),
			kbWasm: kb(all, (t) => t.kind === 'wasm'),
			kbParquet: kb(all, (t) => t.kind === 'parquet'),
			kbResourceTimingLoad: atLoad.rtBytes / 1024,
			requests: all.length,
			foreign: net.foreign,
			failedRequests: net.failed,
			heapMbLoad,
			heapMbEnd,
			rendererLoad,
			rendererEnd,
			changes,
			pageErrors
		};
	} finally {
		await context.close();
		await waitForNoRenderers(browserPid);
	}
}
