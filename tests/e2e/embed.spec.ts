import { test, expect } from './fixtures';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { axeSchemes, expectNoAxeViolations, readChartTable, recordRequests } from './helpers';

/** A donor's page on another origin (a second local port) holding the snippet from the Embed button. */
const HOST_PORT = Number(process.env.E2E_HOST_PORT ?? Number(process.env.E2E_PORT ?? 4174) + 1);
let host: http.Server;
let snippet = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	host = http.createServer((req, res) => {
		res.setHeader('Content-Type', 'text/html; charset=utf-8');
		res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Donor page</title></head>
<body style="margin:0"><h1>Our partners' data</h1>
${snippet}
<script>
window.__heights = [];
window.__datawrapper = [];
addEventListener('message', function (e) {
  var d = e.data;
  if (d && d['datawrapper-height']) window.__datawrapper.push(d['datawrapper-height']);
  if (d && d.type === 'kz-npm:height') {
    window.__heights.push(d);
    document.querySelectorAll('iframe[data-kz-npm-embed="' + d.chart + '"]').forEach(function (f) { if (f.contentWindow === e.source) f.style.height = d.height + 'px'; });
  }
});
</script></body></html>`);
	});
	await new Promise<void>((resolve) => host.listen(HOST_PORT, 'localhost', resolve));
});
test.afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));

const HOST = () => `http://localhost:${(host.address() as AddressInfo).port}/`;

type Height = { type: string; chart: string; height: number };

test('the snippet from the Embed button renders on another origin, posts its height and resizes', async ({ page, baseURL }) => {
	test.setTimeout(90_000);
	await page.goto('/?region=KZ-75&v=1');
	const chart = page.locator('[data-chart="allegations-by-year"]');
	await chart.locator('[data-embed-button]').click();
	snippet = await chart.locator('[data-embed-code]').inputValue();
	expect(snippet).toContain(`src="${baseURL}/embed/allegations-by-year/?region=KZ-75&amp;v=1"`);
	expect(snippet).toContain('loading="lazy"');
	expect(snippet).toMatch(/title="[^"]+"/);

	const requests = recordRequests(page, baseURL!);
	await page.setViewportSize({ width: 1000, height: 900 });
	await page.goto(HOST());
	const frame = page.frameLocator('iframe[data-kz-npm-embed]');
	await expect(frame.locator('[data-chart="allegations-by-year"] svg path.main')).toHaveCount(1);
	await expect(frame.locator('[data-engine="live"]')).toHaveCount(1, { timeout: 40_000 });
	// Only the chart: the site's header and footer are not shown.
	await expect(frame.locator('.site-header')).toBeHidden();
	await expect(frame.locator('.site-footer')).toBeHidden();
	// The link back opens the full view with the same state.
	await expect(frame.locator('[data-full-view]')).toHaveAttribute('href', '/?region=KZ-75&v=1');
	// The filter applies inside the embed: the table has Almaty's column and no other region's.
	await expect(frame.locator('[data-chart-table] thead th')).toHaveCount(3);

	const heights = () => page.evaluate(() => (window as unknown as { __heights: Height[] }).__heights);
	const last = async () => (await heights()).at(-1)!;
	await expect.poll(async () => (await heights()).length).toBeGreaterThan(0);
	const first = await last();
	expect(first.chart).toBe('allegations-by-year');
	expect(first.height).toBeGreaterThan(200);
	const dw = await page.evaluate(() => (window as unknown as { __datawrapper: unknown[] }).__datawrapper.at(-1));
	expect(dw).toEqual({ 'allegations-by-year': expect.any(Number) });
	// The host's one-line listener sized the iframe to the reported height.
	await expect.poll(async () => Math.round((await page.locator('iframe').boundingBox())!.height)).toBe((await last()).height);

	// A narrow viewport makes the content taller: a new height arrives and the frame follows.
	const before = (await last()).height;
	await page.setViewportSize({ width: 360, height: 800 });
	await expect.poll(async () => (await last()).height).not.toBe(before);
	await expect.poll(async () => Math.round((await page.locator('iframe').boundingBox())!.height)).toBe((await last()).height);
	// Opening the data table inside the embed also reports a new height.
	const beforeTable = (await last()).height;
	await frame.locator('[data-chart="allegations-by-year"] details summary').click();
	await expect.poll(async () => (await last()).height).toBeGreaterThan(beforeTable);
	expect(requests.foreign().filter((u) => !u.startsWith(HOST()))).toEqual([]);
});

test('the Russian embed in dark mode and the compact overview dashboard', async ({ page }) => {
	await page.goto('/ru/embed/allegations-by-year/?scheme=dark');
	await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	const bg = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--surface').trim());
	expect(bg).toBe('#1a1e23');
	await expect(page.locator('[data-full-view]')).toHaveAttribute('href', '/ru/');
	await page.goto('/embed/dashboard/overview/?region=KZ-75&v=1');
	await expect(page.locator('[data-chart="allegations-by-year"] svg path.main')).toHaveCount(1);
	await expect(page.locator('[data-full-view]')).toHaveAttribute('href', '/?region=KZ-75&v=1');
});

test('framing headers: embeds may be framed by any origin, other pages only by the site', async ({ request }) => {
	for (const path of ['/', '/ru/', '/data/', '/data/sql/']) {
		const res = await request.get(path);
		expect(res.headers()['content-security-policy'], path).toContain("frame-ancestors 'self'");
		expect(res.headers()['x-frame-options'], path).toBe('SAMEORIGIN');
	}
	for (const path of ['/embed/allegations-by-year/', '/kk/embed/allegations-by-year/', '/embed/dashboard/overview/']) {
		const res = await request.get(path);
		expect(res.headers()['content-security-policy'], path).toContain('frame-ancestors *');
		expect(res.headers()['x-frame-options'], path).toBeUndefined();
	}
});

test('a non-embed page inside the other-origin host is refused, while an embed beside it loads', async ({ page, baseURL, request }) => {
	const refusals: string[] = [];
	page.on('console', (m) => {
		if (/frame-ancestors/.test(m.text())) refusals.push(m.text());
	});
	// The refused page is a real page: opened directly, it is the portal.
	const direct = await request.get('/data/');
	expect(direct.status()).toBe(200);
	expect(await direct.text()).toContain('data-filtered-download');
	snippet = `<script>window.__loaded = [];</script>
<iframe src="${baseURL}/embed/allegations-by-year/" title="Embed" width="600" height="300" data-kz-npm-embed="allegations-by-year" onload="__loaded.push('embed')"></iframe>
<iframe src="${baseURL}/data/" title="x" width="600" height="300" data-kz-npm-embed="x" onload="__loaded.push('page')"></iframe>`;
	await page.goto(HOST());
	// Both frames finished loading: the embed with its chart, the portal with the browser's refusal.
	await expect.poll(() => page.evaluate(() => (window as unknown as { __loaded: string[] }).__loaded.sort())).toEqual(['embed', 'page']);
	await expect(page.frameLocator('iframe[data-kz-npm-embed="allegations-by-year"]').locator('[data-chart="allegations-by-year"] svg path.main')).toHaveCount(1);
	const refused = await (await page.locator('iframe[data-kz-npm-embed="x"]').elementHandle())!.contentFrame();
	// Chromium shows its own error page in place of a refused frame: none of the portal is there.
	expect(refused!.url()).toBe('chrome-error://chromewebdata/');
	await expect.poll(() => refusals).toEqual([expect.stringContaining(`Framing '${baseURL}/' violates the following Content Security Policy directive: "frame-ancestors 'self'"`)]);
});

for (const path of ['/embed/allegations-by-year/', '/ru/embed/allegations-by-year/', '/embed/dashboard/overview/', '/kk/embed/dashboard/overview/']) {
	// One load per address, opened in its first scheme; in English the same page is checked again in
	// dark (the colours follow the scheme through CSS alone: see expectNoAxeViolations).
	test(`axe-core finds no violations on ${path} (${axeSchemes(path).join(' and ')})`, async ({ page }) => {
		test.setTimeout(120_000);
		await page.emulateMedia({ colorScheme: axeSchemes(path)[0] });
		await page.goto(path);
		await page.locator('[data-chart="allegations-by-year"] details summary').first().click();
		await expectNoAxeViolations(page, axeSchemes(path));
	});
}

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test("a single-chart embed's build-time HTML carries the chart's own styles", async ({ page }) => {
		// The chart's component reaches the embed through a dynamic import; its scoped styles must
		// still be in the prerendered page, or the first paint (and a reader without JavaScript)
		// gets an unstyled chart. A tile's outline comes from TileMap's own stylesheet.
		await page.goto('/embed/region-map/');
		const rect = page.locator('[data-region="KZ-75"] rect');
		await expect(rect).toHaveCount(1);
		expect(await rect.evaluate((r) => getComputedStyle(r).stroke)).not.toBe('none');
		expect(await page.locator('.tilemap').evaluate((e) => getComputedStyle(e).width)).not.toBe('auto');
	});
});

test('a filtered embed says what is filtered: region, years and the rate with its unit (issue 12, item 2)', async ({ page }) => {
	await page.goto('/embed/allegations-over-time/?from=2018&region=KZ-75&measure=per_residents&v=1');
	const chart = page.locator('[data-chart="allegations-over-time"]');
	await expect(chart).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
	await expect(chart.locator('[data-chart-selection]')).toHaveText('Almaty · from 2018 · allegations per 100,000 residents', { timeout: 30_000 });
	await expect(chart.locator('[data-y-title]')).toHaveText('Allegations per 100,000 residents');
	await expect(chart.locator('[data-chart-summary]')).toContainText('Selection: Almaty · from 2018 · allegations per 100,000 residents.');
});

test('the overview filtered to a region never calls its count national (issue 12, item 2)', async ({ page }) => {
	await page.goto('/?region=KZ-55&v=1');
	const chart = page.locator('[data-chart="allegations-by-year"]');
	await expect(chart.locator('[data-chart-selection]')).toContainText('Pavlodar', { timeout: 30_000 });
	await expect(chart.locator('[data-chart-summary]')).toContainText('Selection: Pavlodar');
	await expect(chart.locator('[data-chart-summary]')).not.toContainText('national');
});

test.describe('a default-view embed starts only when the viewer reaches for it', () => {
	test('no script is fetched before interaction, yet the chart, its summary and table are there', async ({ page, baseURL }) => {
		const requests = recordRequests(page, baseURL!);
		await page.goto('/embed/region-map/', { waitUntil: 'load' });
		await page.waitForTimeout(1000);
		await expect(page.locator('[data-chart="region-map"] svg')).toBeVisible();
		await expect(page.locator('[data-chart="region-map"] [data-chart-summary]').first()).not.toBeEmpty();
		await expect(page.locator('[data-chart="region-map"] [data-chart-table] tbody tr')).toHaveCount(20);
		expect(requests.urls.filter((u) => u.includes('/_app/') || u.includes('/data/'))).toEqual([]);
		await expect(page.locator('html[data-hydrated]')).toHaveCount(0);
		// The first key press starts it.
		await page.keyboard.press('Tab');
		await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
		expect(requests.urls.some((u) => u.includes('/_app/immutable/entry/start.'))).toBe(true);
	});

	test('a click made while it starts is not lost: the SVG export downloads', async ({ page }) => {
		await page.goto('/ru/embed/allegations-by-year/', { waitUntil: 'load' });
		await expect(page.locator('html[data-hydrated]')).toHaveCount(0);
		const download = page.waitForEvent('download');
		// The pointer arriving starts the app; the click lands before it has hydrated and is replayed.
		await page.locator('[data-export="svg"]').click();
		expect((await download).suggestedFilename()).toBe('allegations-by-year.svg');
		await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
	});

	test('?scheme=dark applies before the app runs; a filtered embed starts at once', async ({ page }) => {
		await page.goto('/embed/region-map/?scheme=dark', { waitUntil: 'load' });
		await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
		await page.waitForTimeout(500);
		await expect(page.locator('html[data-hydrated]')).toHaveCount(0);
		await page.goto('/embed/allegations-by-year/?from=2019&v=1', { waitUntil: 'load' });
		// No pointer or key: the filtered view is not the prerendered one, so the app starts by itself.
		await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
		const rows = await readChartTable(page, 'allegations-by-year');
		expect(Math.min(...rows.map((r) => Number(r.year)))).toBe(2019);
	});

	test('on a donor page it tells the host its height before anyone touches it', async ({ page, baseURL }) => {
		snippet = `<iframe data-kz-npm-embed="region-map" src="${baseURL}/embed/region-map/" title="Regions" style="width:100%;border:0"></iframe>`;
		const requests = recordRequests(page, baseURL!);
		await page.mouse.move(0, 0);
		await page.goto(HOST(), { waitUntil: 'load' });
		const heights = () => page.evaluate(() => (window as unknown as { __heights: Height[] }).__heights);
		await expect.poll(async () => (await heights()).length).toBeGreaterThan(0);
		const h = (await heights()).at(-1)!;
		expect(h.chart).toBe('region-map');
		expect(h.height).toBeGreaterThan(200);
		await expect.poll(async () => Math.round((await page.locator('iframe').boundingBox())!.height)).toBe(h.height);
		const frame = page.frameLocator('iframe[data-kz-npm-embed]');
		await expect(frame.locator('html[data-hydrated]')).toHaveCount(0);
		expect(requests.urls.filter((u) => u.includes('/_app/'))).toEqual([]);
		// The pointer over the frame starts the app, which then keeps reporting the height.
		await page.locator('iframe').hover();
		await expect(frame.locator('html[data-hydrated]')).toHaveCount(1);
	});
});

test('a region tile clicked as the map embed starts still selects the region', async ({ page }) => {
	await page.goto('/embed/region-map/', { waitUntil: 'load' });
	await expect(page.locator('html[data-hydrated]')).toHaveCount(0);
	const tile = page.locator('[data-chart="region-map"] g.tile[data-region="KZ-75"]');
	await tile.click();
	await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
	await expect(tile).toHaveClass(/selected/);
	await expect(page).toHaveURL(/region=KZ-75/);
});

test('a map measure list focused before the app started fetches every measure rollup once the app has started', async ({ page, baseURL }) => {
	const requests = recordRequests(page, baseURL!);
	const rollups = () =>
		[...new Set(requests.urls.map((u) => new URL(u).pathname).filter((p) => /\/rollups\/[a-z_]+\.arrow$/.test(p)).map((p) => p.split('/').pop()))].sort();
	await page.goto('/embed/region-map/', { waitUntil: 'load' });
	expect(rollups()).toEqual([]);
	// The focus is the first interaction: it starts the app, which finds the list already open.
	await page.locator('select[data-filter="map"]').focus();
	await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
	// The measure shown (allegations) is still the build's drawing: its rollups are fetched too.
	await expect.poll(rollups).toEqual(['allegations_base.arrow', 'findings.arrow', 'recommendations.arrow', 'region_year.arrow']);
});

test('opening the map embed measure list fetches the other measures rollups; a pointer passing over it does not', async ({ page, baseURL }) => {
	const requests = recordRequests(page, baseURL!);
	const others = () =>
		requests.urls
			.map((u) => new URL(u).pathname)
			.filter((p) => /\/rollups\/(findings|recommendations)\.arrow$/.test(p))
			.map((p) => p.split('/').pop())
			.sort();
	await page.goto('/embed/region-map/', { waitUntil: 'load' });
	const select = page.locator('select[data-filter="map"]');
	await expect(select).toHaveValue('allegations');
	// The pointer over the embed starts the app, but asks for no data.
	await select.hover();
	await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
	await page.waitForTimeout(500);
	expect(others()).toEqual([]);
	// The list opened (focus): both other measures' rollups are fetched, once each.
	await select.focus();
	await expect.poll(others).toEqual(['findings.arrow', 'recommendations.arrow']);
	await select.selectOption('recommendations');
	await expect(page).toHaveURL(/map=recommendations/);
	const rows = await readChartTable(page, 'region-map');
	expect(rows.length).toBeGreaterThan(0);
	expect(others()).toEqual(['findings.arrow', 'recommendations.arrow']);
});
