import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { independentQuery, readChartTable } from './helpers';
import { download, parseCsv, text, unzip, waitForPreview } from './portal-helpers';

/**
 * Offline use (src/service-worker.ts, README "Offline use"): after one visit online, with the
 * browser context offline, the pages of all three languages load, a filter change redraws a chart
 * with the numbers of an independent query, and the portal makes a filtered download; a newer
 * release on the server is announced while the page keeps answering with its own release.
 */
test.use({ serviceWorkers: 'allow' });

/** The release the site was built with. */
const VERSION = (JSON.parse(readFileSync('static/data/datapackage.json', 'utf8')) as { version: string }).version;

/** Waits until the worker has stored the site, the release and the engine (the footer says so). */
async function waitStored(page: Page) {
	await expect(page.locator('html')).toHaveAttribute('data-offline', 'ready', { timeout: 90_000 });
	await expect(page.locator('[data-offline-status]')).toContainText(VERSION);
}

/** The built chunk holding src/lib/offline/register.svelte.ts (the one that names the worker's script). */
function offlineChunk() {
	const dir = 'build/_app/immutable/chunks';
	const found = readdirSync(dir).filter((f) => f.endsWith('.js') && readFileSync(path.join(dir, f), 'utf8').includes('/service-worker.js'));
	expect(found).toHaveLength(1);
	return `/_app/immutable/chunks/${found[0]}`;
}

const cacheNames = (page: Page) => page.evaluate(() => caches.keys());

async function allegationsOfType(ftype: string) {
	const [span] = await independentQuery<{ first: number; last: number }>('SELECT min(report_year)::INTEGER AS first, max(report_year)::INTEGER AS last FROM allegations');
	const rows = await independentQuery<{ year: number; n: number }>(`SELECT report_year::INTEGER AS year, count(*)::INTEGER AS n FROM allegations WHERE facility_type = '${ftype}' GROUP BY 1 ORDER BY 1`);
	const byYear = new Map(rows.map((r) => [r.year, r.n]));
	return Array.from({ length: span.last - span.first + 1 }, (_, i) => [span.first + i, byYear.get(span.first + i) ?? 0]);
}

const chartYears = async (page: Page) => (await readChartTable(page, 'allegations-by-year')).map((r) => [Number(r.year), Number(r.national)]);

test('after one visit the site works offline (pages in three languages, a filter, a filtered download); a newer release is announced', async ({ page, context }) => {
	test.setTimeout(180_000);
	// Embeds (framed by other sites) stay light: they never load the offline code (the chunk that
	// registers the worker) nor get a worker; the overview loads it.
	const chunk = offlineChunk();
	const asked: string[] = [];
	page.on('request', (r) => asked.push(new URL(r.url()).pathname));
	await page.goto('/embed/allegations-by-year/');
	await expect(page.locator('svg').first()).toBeVisible();
	expect(asked.filter((p) => p.startsWith('/_app/immutable/')).length).toBeGreaterThan(0);
	expect(asked).not.toContain(chunk);
	expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) === undefined)).toBe(true);

	await page.goto('/');
	await waitStored(page);
	expect(asked).toContain(chunk);
	// The same check that found no worker on the embed finds it here.
	expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL)).toMatch(/\/service-worker\.js$/);
	const names = await cacheNames(page);
	expect(names.filter((n) => n.startsWith('kzdm-app-'))).toHaveLength(1);
	expect(names.filter((n) => new RegExp(`^kzdm-data-${VERSION.replaceAll('.', '\\.')}-[0-9a-f]{16}$`).test(n))).toHaveLength(1);
	expect(names).toContain('kzdm-engine');
	// Embeds and earlier releases are not kept.
	const kept = await page.evaluate(async () => {
		const out: string[] = [];
		for (const n of await caches.keys()) for (const r of await (await caches.open(n)).keys()) out.push(new URL(r.url).pathname);
		return out;
	});
	expect(kept).toContain('/kk/regions/KZ-75/');
	expect(kept).toContain('/data/rollups/allegations_base.arrow');
	// (The release history's pages, /ru/data/releases/..., are pages like any other: kept. The
	// archived files of earlier releases, /data/releases/<version>/..., are not.)
	const archived = (p: string) => /^\/data\/releases\/[^/]+\/(.+\.(parquet|arrow|md)|(datapackage|changes|disclosure|manifest)\.json)$/.test(p);
	expect(kept.filter((p) => p.includes('/embed/') || archived(p))).toEqual([]);

	await context.setOffline(true);
	for (const [path, lang, heading] of [
		['/ru/', 'ru', /Обзор/],
		['/kk/conditions/', 'kk', /./],
		['/regions/KZ-75/', 'en', /Almaty/]
	] as const) {
		const res = await page.goto(path);
		expect(res?.status(), path).toBe(200);
		expect(res?.fromServiceWorker(), path).toBe(true);
		await expect(page.locator('html')).toHaveAttribute('lang', lang);
		await expect(page.locator('h1')).toHaveText(heading);
	}
	// The banner says the reader is offline, in the page's language.
	await expect(page.locator('[data-offline-banner]')).toContainText(`release ${VERSION}`);

	// A filter change, offline: the chart's numbers are those of an independent query.
	await page.goto('/');
	await page.locator('[data-filter="ftype"] summary').click();
	await page.locator('[data-filter="ftype"] input[value="ivs"]').check();
	await expect(page).toHaveURL(/ftype=ivs/);
	await expect.poll(() => chartYears(page)).toEqual(await allegationsOfType('ivs'));
	// The same view from its address, loaded offline.
	await page.goto('/?ftype=sizo');
	await expect.poll(() => chartYears(page)).toEqual(await allegationsOfType('sizo'));

	// The portal, offline: the engine starts from the kept .wasm, reads the release and makes a filtered CSV.
	const expected = await independentQuery<{ allegation_id: string }>(
		"SELECT allegation_id FROM allegations WHERE region_code IN ('KZ-71', 'KZ-75') AND report_year BETWEEN 2019 AND 2022 ORDER BY 1"
	);
	await page.goto('/data/?region=KZ-71,KZ-75&from=2019&to=2022&v=1');
	await page.locator('[data-filtered-table]').selectOption('allegations');
	expect(await waitForPreview(page, /^allegations\?/)).toBe(expected.length);
	await page.locator('[data-format="csv"]').check();
	const zip = unzip((await download(page, () => page.locator('[data-download-filtered]').click())).bytes);
	const [header, ...rows] = parseCsv(text(zip['allegations.csv']).replace(/^\ufeff/, ''));
	const id = header.indexOf('allegation_id');
	expect(rows.map((r) => r[id]).sort()).toEqual(expected.map((r) => r.allegation_id).sort());
	// A released file downloads as it is.
	const parquet = await page.evaluate(async () => {
		const r = await fetch('/data/regions.parquet');
		const b = new Uint8Array(await r.arrayBuffer());
		return { status: r.status, head: String.fromCharCode(...b.slice(0, 4)), tail: String.fromCharCode(...b.slice(-4)), size: b.length };
	});
	expect(parquet).toMatchObject({ status: 200, head: 'PAR1', tail: 'PAR1' });

	// Range and HEAD from the kept copy, as DuckDB-WASM asks them.
	const ranged = await page.evaluate(async () => {
		const head = await fetch('/data/allegations.parquet', { method: 'HEAD' });
		const size = Number(head.headers.get('content-length'));
		const r = await fetch('/data/allegations.parquet', { headers: { Range: `bytes=${size - 4}-` } });
		const bad = await fetch('/data/allegations.parquet', { headers: { Range: `bytes=${size}-` } });
		return { size, status: r.status, range: r.headers.get('content-range'), body: await r.text(), bad: bad.status };
	});
	expect(ranged.status).toBe(206);
	expect(ranged.range).toBe(`bytes ${ranged.size - 4}-${ranged.size - 1}/${ranged.size}`);
	expect(ranged.body).toBe('PAR1');
	expect(ranged.bad).toBe(416);

	// An address with nothing kept: the "page not found" page of its language.
	const missing = await page.goto('/kk/no-such-page/');
	expect(missing?.status()).toBe(404);
	await expect(page.locator('html')).toHaveAttribute('lang', 'kk');

	// Back online, the server now publishes release 9.9.9: the page's check (past the worker's
	// cache) finds it and says so, in the page's language.
	await context.setOffline(false);
	await context.route('**/data/datapackage.json*', async (route) => {
		const res = await route.fetch();
		await route.fulfill({ response: res, json: { ...(await res.json()), version: '9.9.9' } });
	});
	await page.goto('/ru/');
	const banner = page.locator('[data-offline-banner]');
	await expect(banner).toContainText('Опубликован новый выпуск данных (9.9.9)');
	await expect(banner).toHaveAttribute('role', 'status');
	// The page still shows the release it was built from, and is answered with that release's files
	// only, though the server now sends another datapackage.json.
	await expect(page.locator('[data-offline-status]')).toContainText(VERSION);
	expect(await page.evaluate(async () => (await (await fetch('/data/datapackage.json')).json()).version)).toBe(VERSION);
	expect(await page.evaluate(async () => (await (await fetch('/data/datapackage.json?check=1')).json()).version)).toBe('9.9.9');
});

test('a new build of the site is announced, and Reload hands the page to its worker', async ({ page, context }) => {
	test.setTimeout(180_000);
	await page.goto('/');
	await waitStored(page);
	const first = await page.evaluate(async () => navigator.serviceWorker.controller?.scriptURL);
	expect(first).toMatch(/\/service-worker\.js$/);

	// Another build's worker: the browser installs it beside the one in control (Playwright cannot
	// change the worker script the server sends, so the new build is the same script at another
	// address, which the browser treats as a new worker all the same).
	await page.evaluate(() => navigator.serviceWorker.register('/service-worker.js?build=next'));
	const banner = page.locator('[data-offline-banner]');
	await expect(banner).toContainText('A new version of the site is ready. Reload to use it.', { timeout: 90_000 });
	// Until the reader reloads, the page stays with the worker of its own build.
	expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(first);

	await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), page.getByRole('button', { name: 'Reload' }).click()]);
	await expect(page.locator('h1')).toBeVisible();
	// The overview starts when the reader reaches for it (a pointer over the page).
	await page.mouse.move(5, 5);
	await page.mouse.move(40, 40);
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', '', { timeout: 30_000 });
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '')).toMatch(/\/service-worker\.js\?build=next$/);
	// The new worker answers pages offline from its caches. (The reloaded page registers the
	// site's own script address again, which to the browser is yet another worker here: so this
	// test does not check that the banner is gone after the reload.)
	await context.setOffline(true);
	const res = await page.goto('/ru/allegations/');
	expect(res?.fromServiceWorker()).toBe(true);
	await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
});
