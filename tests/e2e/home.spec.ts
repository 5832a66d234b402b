import { test, expect } from './fixtures';
import { readFileSync } from 'node:fs';
import { independentQuery, readChartTable, recordRequests } from './helpers';

const messages = (locale: string) => JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, string>;

async function expectedByYear() {
	const national = await independentQuery<{ year: number; n: number }>(
		'SELECT report_year::INTEGER AS year, count(*)::INTEGER AS n FROM allegations WHERE report_year IS NOT NULL GROUP BY 1 ORDER BY 1'
	);
	const byRegion = await independentQuery<{ year: number; region_code: string; n: number }>(
		'SELECT report_year::INTEGER AS year, region_code, count(*)::INTEGER AS n FROM allegations WHERE region_code IS NOT NULL AND report_year IS NOT NULL GROUP BY 1, 2'
	);
	return { national, byRegion };
}

test('the home chart is in the built HTML and its table equals an independent count', async ({ page }) => {
	await page.goto('/');
	const chart = page.locator('[data-chart="allegations-by-year"]');
	await expect(chart.locator('svg path.main')).toHaveCount(1);
	const { national, byRegion } = await expectedByYear();
	const rows = await readChartTable(page, 'allegations-by-year');
	expect(rows.map((r) => [Number(r.year), Number(r.national)])).toEqual(national.map((r) => [r.year, r.n]));
	for (const e of byRegion) {
		const row = rows.find((r) => Number(r.year) === e.year)!;
		expect(Number(row[e.region_code]), `${e.region_code} ${e.year}`).toBe(e.n);
	}
	// 20 region columns, named from the regions table.
	const regionCols = await chart.locator('[data-chart-table] thead th').count();
	expect(regionCols).toBeGreaterThanOrEqual(22);
});

test('the overview starts only when the reader reaches for it; a year chosen meanwhile is applied', async ({ page, baseURL }) => {
	const requests = recordRequests(page, baseURL!);
	await page.goto('/', { waitUntil: 'load' });
	await page.waitForTimeout(1000);
	// The build's page is whole without the app: charts, summaries, tables.
	const chart = page.locator('[data-chart="allegations-by-year"]');
	await expect(chart.locator('svg path.main')).toHaveCount(1);
	await expect(chart.locator('[data-chart-summary]').first()).not.toBeEmpty();
	expect(await chart.locator('[data-chart-table] tbody tr').count()).toBeGreaterThan(5);
	await expect(page.locator('html[data-hydrated]')).toHaveCount(0);
	// Nothing of the app is fetched or run, and no data is read.
	expect(requests.urls.filter((u) => u.includes('/_app/') || u.includes('/data/'))).toEqual([]);
	await page.locator('[data-filter="from"]').selectOption('2019');
	await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
	await expect(page).toHaveURL(/from=2019/);
	await expect.poll(async () => Math.min(...(await readChartTable(page, 'allegations-by-year')).map((r) => Number(r.year)))).toBe(2019);
});

test('the browser engine takes over and gives the same numbers', async ({ page }) => {
	await page.goto('/');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	const { national } = await expectedByYear();
	const rows = await readChartTable(page, 'allegations-by-year');
	expect(rows.map((r) => [Number(r.year), Number(r.national)])).toEqual(national.map((r) => [r.year, r.n]));
	const marks = await page.evaluate(() => performance.getEntriesByName('engine-first-query').length);
	expect(marks).toBe(1);
});

test('switching to Russian and Kazakh changes the visible strings and <html lang>', async ({ page }) => {
	await page.goto('/');
	for (const locale of ['ru', 'kk'] as const) {
		await page.locator(`a[hreflang="${locale}"]`).first().click();
		await expect(page).toHaveURL(new RegExp(`/${locale}/$`));
		await expect(page.locator('html')).toHaveAttribute('lang', locale);
		const msg = messages(locale);
		await expect(page.locator('h1')).toHaveText(msg.page_home_title);
		await expect(page.locator('[data-chart="allegations-by-year"] h2')).toHaveText(msg.allegations_by_year_title);
		await expect(page.getByText(msg.synthetic_banner)).toBeVisible();
	}
	await page.locator('a[hreflang="en"]').first().click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.locator('h1')).toHaveText(messages('en').page_home_title);
});

test('no request leaves the site origin, and a dashboard never downloads the engine', async ({ page, baseURL }) => {
	const requests = recordRequests(page, baseURL!);
	await page.goto('/');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	await page.goto('/kk/');
	await page.waitForLoadState('networkidle');
	// The views slice the rollups' Arrow files; DuckDB-WASM is for the portal's downloads and SQL.
	expect(requests.urls.some((u) => /\/rollups\/[a-z_]+\.arrow$/.test(u))).toBe(true);
	expect(requests.urls.filter((u) => u.endsWith('.wasm') || u.endsWith('.parquet'))).toEqual([]);
	expect(requests.foreign()).toEqual([]);
});

test('rehearsals after the takeover fetch nothing, send no SQL and change nothing on screen', async ({ page, baseURL }) => {
	await page.goto('/');
	// The overview starts on the first pointer (scripts/defer-start.mjs).
	await page.mouse.move(1, 1);
	await page.mouse.move(8, 8);
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	const before = await readChartTable(page, 'allegations-by-year');
	const requests = recordRequests(page, baseURL!);
	// Five views, four states each (src/lib/state/rehearsal.ts), once the page is idle.
	await expect.poll(() => page.evaluate(() => (window as { __kzRehearsals?: { done: number } }).__kzRehearsals?.done ?? 0), { timeout: 20_000 }).toBe(20);
	const counts = await page.evaluate(() => (window as { __kzRehearsals?: object }).__kzRehearsals);
	expect(counts).toEqual({ done: 20, refused: 0, failed: 0 });
	// Served from the rollups the page already had: no request at all (no rollup, no engine).
	expect(requests.urls).toEqual([]);
	// Thrown away: the charts and the address still show the default view.
	expect(await readChartTable(page, 'allegations-by-year')).toEqual(before);
	expect(new URL(page.url()).search).toBe('');
	expect(await page.evaluate(() => (window as { __kzQueries?: object }).__kzQueries)).toEqual({ started: 5, settled: 5 });
});

test('a filter change draws the charts on the screen first and the heatmap below when idle, with the same answer', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.goto('/');
	await page.mouse.move(1, 1);
	await page.mouse.move(8, 8);
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	const heatmap = page.locator('[data-chart="conditions-heatmap"]');
	const before = await readChartTable(page, 'conditions-heatmap');
	await page.evaluate(() => window.scrollTo(0, 0));
	// In the first frame after every view has its answer: what each chart shows.
	await page.evaluate(() => {
		type W = Window & { __kzQueries: { started: number; settled: number }; __kzHeld?: { pending: number }; __probe?: object };
		const w = window as unknown as W;
		const start = w.__kzQueries.started;
		const busy = (id: string) => document.querySelector(`[data-chart="${id}"]`)!.getAttribute('aria-busy');
		const tick = () => {
			const q = w.__kzQueries;
			if (q.started > start && q.settled === q.started) {
				w.__probe = { held: w.__kzHeld?.pending ?? 0, byYear: busy('allegations-by-year'), heatmap: busy('conditions-heatmap') };
			} else requestAnimationFrame(tick);
		};
		requestAnimationFrame(tick);
	});
	await page.locator('[data-filter="from"]').selectOption('2019');
	await expect.poll(() => page.evaluate(() => (window as { __probe?: object }).__probe ?? null)).not.toBeNull();
	const probe = await page.evaluate(() => (window as unknown as { __probe: { held: number; byYear: string; heatmap: string } }).__probe);
	// The chart on the screen shows the new answer; the heatmap, off the screen, still holds it and says so.
	expect(probe).toMatchObject({ byYear: 'false', heatmap: 'true' });
	expect(probe.held).toBeGreaterThan(0);
	// Then, when the page is idle, the heatmap draws it without being scrolled to.
	await expect.poll(() => page.evaluate(() => (window as { __kzHeld?: { pending: number } }).__kzHeld?.pending)).toBe(0);
	await expect(heatmap).toHaveAttribute('aria-busy', 'false');
	expect(await page.evaluate(() => window.scrollY)).toBe(0);
	const drawn = await readChartTable(page, 'conditions-heatmap');
	expect(drawn).not.toEqual(before);
	// The same answer as a page opened on that address, where the heatmap is scrolled to at once.
	const other = await page.context().newPage();
	await other.goto('/?from=2019');
	await other.locator('[data-chart="conditions-heatmap"]').scrollIntoViewIfNeeded();
	await expect(other.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	await expect(other.locator('[data-chart="conditions-heatmap"]')).toHaveAttribute('aria-busy', 'false');
	expect(await readChartTable(other, 'conditions-heatmap')).toEqual(drawn);
});

test('the chart works by keyboard: tooltip follows the arrow keys', async ({ page }) => {
	await page.goto('/');
	const plot = page.locator('[data-chart="allegations-by-year"] .plot');
	await plot.focus();
	await page.keyboard.press('Home');
	const tip = page.locator('[data-chart="allegations-by-year"] .tooltip');
	const rows = await readChartTable(page, 'allegations-by-year');
	await expect(tip).toContainText(rows[0].year);
	await page.keyboard.press('ArrowRight');
	await expect(tip).toContainText(rows[1].year);
});

test('with the rollups blocked, the build-time chart stays and the page says why', async ({ page }) => {
	await page.route(/\/rollups\/.*\.arrow$/, (route) => route.abort());
	await page.goto('/');
	await expect(page.locator('[data-engine="failed"]')).toBeVisible({ timeout: 30_000 });
	await expect(page.locator('[data-chart="allegations-by-year"]')).toHaveAttribute('data-status', 'ready');
	await expect(page.locator('[data-chart="allegations-by-year"] svg path.main')).toHaveCount(1);
});
