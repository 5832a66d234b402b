import { expect, test, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { DuckDBInstance } from '@duckdb/node-api';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * Independent answers: DuckDB 1.5 (@duckdb/node-api), a different engine from the app's
 * DuckDB-WASM 0.9, reading the very Parquet files the built site serves.
 */
let conn: Awaited<ReturnType<DuckDBInstance['connect']>> | undefined;
export async function independentQuery<T = Record<string, unknown>>(sql: string): Promise<T[]> {
	if (!conn) {
		const inst = await DuckDBInstance.create(':memory:');
		conn = await inst.connect();
		await conn.run('SET autoinstall_known_extensions=false; SET autoload_known_extensions=false');
	}
	const dataDir = path.resolve('build/data');
	const text = sql.replace(/\bFROM (\w+)/g, (_, t) => `FROM read_parquet('${path.join(dataDir, t + '.parquet')}')`);
	const reader = await conn.runAndReadAll(text);
	return reader.getRowObjectsJS() as T[];
}

/**
 * Reads a chart's data table: raw values from data-value attributes, keyed by column key. The
 * table's rows are rendered when it is opened, so open it first (as a reader would).
 */
export async function readChartTable(page: Page, chartId: string) {
	// What the chart shows once it has drawn its latest answer: every view update asked so far has
	// settled (the busy flag of a slow answer is raised a task after the change), and a chart off the
	// screen may hold its answer until the page is idle, and says so with aria-busy (OnScreen.svelte).
	await page.waitForFunction(() => {
		const q = (window as { __kzQueries?: { started: number; settled: number } }).__kzQueries;
		return !q || q.settled === q.started;
	}, null, { timeout: 30_000 });
	await expect(page.locator(`[data-chart="${chartId}"]`)).not.toHaveAttribute('aria-busy', 'true', { timeout: 30_000 });
	const table = page.locator(`[data-chart="${chartId}"] [data-chart-table]`);
	await expect(table).toHaveCount(1);
	await page.locator(`[data-chart="${chartId}"] details.table-toggle`).evaluate((d) => ((d as HTMLDetailsElement).open = true));
	await expect(table).toHaveAttribute('data-rows', 'rendered');
	return table.evaluate((t) =>
		Array.from(t.querySelectorAll('tbody tr')).map((tr) => {
			const row: Record<string, string> = {};
			tr.querySelectorAll('[data-key]').forEach((c) => {
				row[(c as HTMLElement).dataset.key!] = (c as HTMLElement).dataset.value ?? '';
			});
			return row;
		})
	);
}

/** Records every request the page makes; `foreign()` lists those to another origin. */
export function recordRequests(page: Page, origin: string) {
	const urls: string[] = [];
	page.on('request', (r) => urls.push(r.url()));
	return {
		urls,
		foreign: () => urls.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('blob:') && !u.startsWith('data:'))
	};
}

/**
 * Colour schemes to run axe-core in for a page: both for the English pages, one for each translation
 * (Russian dark, Kazakh light). See expectNoAxeViolations for which rules run in which.
 */
export function axeSchemes(path: string): ('light' | 'dark')[] {
	if (/^\/?ru\//.test(path)) return ['dark'];
	if (/^\/?kk\//.test(path)) return ['light'];
	return ['light', 'dark'];
}

/** The axe-core rules whose outcome depends on the colours: contrast, and links told apart from text by colour. */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** True for a page of a translation (/ru/..., /kk/...). */
const translated = (url: string) => /^\/(ru|kk)\//.test(new URL(url).pathname);

/**
 * Runs axe-core on the page in each of the schemes and expects no violation:
 * - on an English page, every rule in the first scheme and only the rules that depend on colour
 *   (COLOUR_RULES) in the second: the schemes differ only in colours (src/app.css: every colour is
 *   light-dark(light, dark); no markup, script or `display` depends on the scheme), so every other
 *   rule would check the same markup again and give the same result;
 * - on a translation, every rule except the colour rules, in its one scheme: a page's colours are
 *   the same in every language (they come from the same stylesheet and classes; only the words
 *   differ), and every caller checks the English page in both schemes. Contrast is the costliest
 *   rule (measured: about two thirds of an axe run on a dashboard page), so a translation costs a
 *   third of a full run and still gets every rule that words can change (names, labels, lang).
 * `configure` narrows the check (e.g. `.include(selector)`) the same way in every run.
 */
export async function expectNoAxeViolations(page: Page, schemes: ('light' | 'dark')[], configure: (b: AxeBuilder) => AxeBuilder = (b) => b) {
	const words = translated(page.url());
	for (const [i, scheme] of schemes.entries()) {
		await page.emulateMedia({ colorScheme: scheme });
		const builder = configure(new AxeBuilder({ page }));
		const results = await (words ? builder.disableRules(COLOUR_RULES) : i === 0 ? builder : builder.withRules(COLOUR_RULES)).analyze();
		expect(results.violations.map((v) => `${scheme} ${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
	}
}

/**
 * The checks every page of the site gets (tests/e2e/all-pages.spec.ts), run at the end of a test
 * that recorded the page's requests from before its goto: once the network is idle no request has
 * left the site's origin, and at 360 px nothing widens the page (usable on a phone).
 */
export async function expectOwnOriginAndFits360(page: Page, requests: ReturnType<typeof recordRequests>) {
	await page.waitForLoadState('networkidle');
	expect(requests.foreign()).toEqual([]);
	await page.setViewportSize({ width: 360, height: 800 });
	await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

/**
 * Opens the data tables axe-core should check on a page: every table on the English page, the
 * first one on a translation. The rows of every table come from one component (ChartFrame) with
 * the same markup and colours in each language, and axe over a page with every table open costs
 * four to five times as much (the overview's tables are about 2,000 cells): once per page is enough.
 */
export async function openTablesForAxe(page: Page, path: string, selector = '[data-chart] details > summary') {
	const summaries = await page.locator(selector).all();
	const translated = /^\/?(ru|kk)\//.test(path);
	for (const s of translated ? summaries.slice(0, 1) : summaries) await s.click();
}

/**
 * Records Content-Security-Policy violations in every frame of the page, from a listener added
 * before any of the page's scripts runs. Call before page.goto; the returned function lists them.
 */
export async function watchCsp(page: Page, origin: string) {
	await page.addInitScript(() => {
		const w = window as unknown as { __csp: string[] };
		w.__csp = [];
		addEventListener('securitypolicyviolation', (e) =>
			w.__csp.push(`${e.effectiveDirective} refused ${e.blockedURI || 'inline'} at ${e.sourceFile || e.documentURI}:${e.lineNumber}`)
		);
	});
	return async () => {
		const frames = page.frames().filter((f) => f.url().startsWith(origin + '/'));
		return (await Promise.all(frames.map((f) => f.evaluate(() => (window as unknown as { __csp: string[] }).__csp)))).flat();
	};
}

/**
 * Skips the tests of a project whose server is missing here (nginx on a machine without it). In CI
 * the config refuses to start without nginx instead, so nothing is skipped there.
 */
export function skipWithoutServer(info: TestInfo) {
	const meta = info.project.metadata as { server: string; available: boolean };
	test.skip(!meta.available, `${meta.server} is not installed on this machine: its deploy tests are skipped (CI installs it and runs them)`);
}

/**
 * A page on another origin holding iframes of the site, served from a port the system picks (so
 * that tests running side by side never share one) on the loopback address. Close it after.
 */
export async function otherOriginHost(body: string) {
	const server = http.createServer((_req, res) => {
		res.setHeader('Content-Type', 'text/html; charset=utf-8');
		res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head><body>${body}</body></html>`);
	});
	await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
	return {
		url: `http://localhost:${(server.address() as AddressInfo).port}/`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
