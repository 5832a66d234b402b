import type { Browser, Page } from '@playwright/test';
import { median, percentile } from './stats';

/**
 * Filter latency: a scripted sequence of filter changes through the filter bar, each timed from
 * the change until every view query on the page has settled (window.__kzQueries, see
 * src/lib/engine/live-query.svelte.ts). The engine is warmed first; the first change is not counted.
 */
const STEPS: ((page: Page) => Promise<void>)[] = [
	(p) => p.locator('[data-filter="from"]').selectOption('2016').then(() => undefined),
	(p) => p.locator('[data-filter="to"]').selectOption('2022').then(() => undefined),
	(p) => p.locator('[data-filter="ftype"] summary').click(),
	(p) => p.locator('[data-filter="ftype"] input[value="sizo"]').check(),
	(p) => p.locator('[data-filter="ftype"] input[value="ivs"]').check(),
	(p) => p.locator('[data-filter="ftype"] input[value="sizo"]').uncheck(),
	(p) => p.locator('[data-filter="from"]').selectOption('2019').then(() => undefined),
	(p) => p.locator('[data-filter="ftype"] input[value="penal_colony"]').check(),
	(p) => p.locator('[data-filter="to"]').selectOption('2024').then(() => undefined),
	(p) => p.locator('[data-filter="ftype"] input[value="ivs"]').uncheck()
];

async function settled(page: Page, before: number) {
	await page.waitForFunction(
		(b) => {
			const q = (window as unknown as { __kzQueries?: { started: number; settled: number } }).__kzQueries;
			return !!q && q.started > b && q.settled === q.started;
		},
		before,
		{ timeout: 120_000, polling: 5 }
	);
}

export async function filterLatency(browser: Browser, origin: string, path: string, rounds = 3) {
	const times: number[] = [];
	for (let r = 0; r < rounds; r++) {
		const page = await (await browser.newContext()).newPage();
		await page.goto(origin + path);
		await page.waitForFunction(() => (window as unknown as { __engineReadyAt?: number }).__engineReadyAt !== undefined, null, { timeout: 120_000 });
		for (const [i, step] of STEPS.entries()) {
			const before = await page.evaluate(() => (window as unknown as { __kzQueries?: { started: number } }).__kzQueries?.started ?? 0);
			const t0 = Date.now();
			await step(page);
			if (i === 2) continue; // opening the dropdown changes no filter
			await settled(page, before);
			times.push(Date.now() - t0);
		}
		await page.context().close();
	}
	return { n: times.length, p50: median(times), p95: percentile(times, 95) };
}

export async function extraBenchmarks(browser: Browser, origin: string, pages: string[]): Promise<Record<string, unknown>> {
	const out: Record<string, unknown> = {};
	const table: Record<string, Record<string, string>> = {};
	for (const path of pages) {
		const l = await filterLatency(browser, origin, path);
		out[path] = l;
		table[path] = { changes: String(l.n), 'p50 ms': l.p50.toFixed(0), 'p95 ms': l.p95.toFixed(0) };
	}
	console.log('\nFilter changes (time until every view on the page has answered):');
	console.table(table);
	return out;
}
