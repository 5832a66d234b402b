/**
 * npm run bench: builds the site (npm script), serves build/ as deployed, and measures cold loads
 * and filter changes in Chromium. Prints medians and writes bench-results.json (git-ignored).
 * Judges nothing. BENCH_SCALE=1000 npm run bench does the same over a 10-million-allegation release.
 *
 *   first chart   ms from navigation start until a chart's <svg> is in the DOM
 *   FCP           first contentful paint
 *   engine        ms until the browser engine answered its first query (window.__engineReadyAt)
 *   KB to chart   bytes transferred (compressed) up to the first chart
 *   KB total      bytes transferred once the engine has answered and the network is idle
 *   heap MB       the page's main-thread JS heap at the end
 */
import { chromium, type Browser } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { extraBenchmarks } from './extra';
import { median } from './stats';

const PORT = Number(process.env.BENCH_PORT ?? 4180);
const ORIGIN = `http://localhost:${PORT}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PAGES = (process.env.BENCH_PAGES ?? '/,/regions/KZ-75/').split(',');

async function waitForServer() {
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(ORIGIN + '/')).ok) return;
		} catch {
			/* not up yet */
		}
		await sleep(100);
	}
	throw new Error('bench: the server did not start');
}

interface LoadSample {
	firstChart: number;
	fcp: number;
	engine: number;
	kbToChart: number;
	kbTotal: number;
	heapMb: number;
}

async function coldLoad(browser: Browser, path: string): Promise<LoadSample> {
	const context = await browser.newContext(); // a new context: empty cache, cold load
	const page = await context.newPage();
	// A string, not a function: tsx would wrap named functions in __name(), unknown to the page.
	await page.addInitScript(`(() => {
		const obs = new MutationObserver(() => {
			if (window.__firstChartAt === undefined && document.querySelector('[data-chart] svg')) {
				window.__firstChartAt = performance.now();
				obs.disconnect();
			}
		});
		obs.observe(document, { childList: true, subtree: true });
	})()`);
	await page.goto(ORIGIN + path, { waitUntil: 'load' });
	await page.waitForFunction(() => (window as unknown as { __engineReadyAt?: number }).__engineReadyAt !== undefined, null, {
		timeout: 60_000
	});
	await page.waitForLoadState('networkidle');
	const r = await page.evaluate(() => {
		const w = window as unknown as { __firstChartAt: number; __engineReadyAt: number };
		const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
		const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
		const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
		// (no named helpers in here: tsx would wrap them in __name(), which the page does not have)
		const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
		return {
			firstChart: w.__firstChartAt,
			fcp,
			engine: w.__engineReadyAt,
			bytesToChart: nav.transferSize + res.filter((e) => e.responseEnd <= w.__firstChartAt).reduce((s, e) => s + e.transferSize, 0),
			bytesTotal: nav.transferSize + res.reduce((s, e) => s + e.transferSize, 0),
			heap: mem?.usedJSHeapSize ?? NaN
		};
	});
	const cdp = await context.newCDPSession(page);
	await cdp.send('Performance.enable');
	const { metrics } = await cdp.send('Performance.getMetrics');
	const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? r.heap;
	await context.close();
	return {
		firstChart: r.firstChart,
		fcp: r.fcp,
		engine: r.engine,
		kbToChart: r.bytesToChart / 1024,
		kbTotal: r.bytesTotal / 1024,
		heapMb: heap / 1048576
	};
}

/**
 * BENCH_SCALE=1000: measure the same site over a bigger release (10 million allegations). The pages
 * stay as built (their prerendered default view is from the demo data); everything the browser
 * engine computes (the take-over and every filter change) runs over the big files.
 */
function siteForScale(scale: string | undefined): string {
	if (!scale) return 'build';
	const release = path.resolve(`data/generated/release-${scale}`);
	if (!existsSync(path.join(release, 'datapackage.json'))) {
		const raw = path.resolve(`data/generated/raw-${scale}`);
		const run = (args: string[]) => {
			const t0 = Date.now();
			const r = spawnSync('npx', ['tsx', ...args], { stdio: 'inherit' });
			if (r.status !== 0) throw new Error(`bench: ${args.join(' ')} failed`);
			console.log(`bench: ${args[0]} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		};
		run(['scripts/generate/index.ts', '--seed', '2014', '--scale', scale, '--out', raw]);
		run(['scripts/pipeline/index.ts', '--input', raw, '--out', release]);
	}
	const site = mkdtempSync(path.join(tmpdir(), `kz-bench-${scale}-`));
	cpSync('build', site, { recursive: true });
	const data = path.join(site, 'data');
	// build/data/ also holds the portal's pages (/data/, /data/sql/): replace only the release files.
	for (const f of readdirSync(data, { withFileTypes: true })) {
		if (f.isFile() && !f.name.startsWith('index.html') && !f.name.startsWith('__data.json')) rmSync(path.join(data, f.name));
	}
	cpSync(release, data, { recursive: true });
	return site;
}

async function main() {
	const site = siteForScale(process.env.BENCH_SCALE);
	const server = spawn(process.execPath, ['scripts/serve.mjs', site], { env: { ...process.env, PORT: String(PORT) }, stdio: 'ignore' });
	try {
		await waitForServer();
		const browser = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
		});
		const results: Record<string, unknown> = { date: new Date().toISOString(), runs: RUNS, pages: {} };
		const table: Record<string, Record<string, string>> = {};
		for (const path of PAGES) {
			const samples: LoadSample[] = [];
			for (let i = 0; i < RUNS; i++) samples.push(await coldLoad(browser, path));
			const med = Object.fromEntries(
				(Object.keys(samples[0]) as (keyof LoadSample)[]).map((k) => [k, median(samples.map((s) => s[k]))])
			) as unknown as LoadSample;
			(results.pages as Record<string, unknown>)[path] = { median: med, samples };
			table[path] = {
				'first chart ms': med.firstChart.toFixed(0),
				'FCP ms': med.fcp.toFixed(0),
				'engine ms': med.engine.toFixed(0),
				'KB to chart': med.kbToChart.toFixed(0),
				'KB total': med.kbTotal.toFixed(0),
				'heap MB': med.heapMb.toFixed(1)
			};
		}
		console.log(`\nCold loads, medians of ${RUNS} (Chromium ${browser.version()}, ${ORIGIN}, data ${process.env.BENCH_SCALE ? 'scale ' + process.env.BENCH_SCALE : 'demo (scale 1)'}):`);
		console.table(table);
		results.filters = await extraBenchmarks(browser, ORIGIN, PAGES.filter((p) => !p.startsWith('/embed')));
		await browser.close();
		const out = process.env.BENCH_SCALE ? `bench-results-scale-${process.env.BENCH_SCALE}.json` : 'bench-results.json';
		writeFileSync(out, JSON.stringify(results, null, 2));
		console.log(`Written to ${out}`);
	} finally {
		server.kill();
		if (site !== 'build') rmSync(site, { recursive: true, force: true });
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
