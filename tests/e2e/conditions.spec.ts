import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axeSchemes, expectNoAxeViolations, expectOwnOriginAndFits360, independentQuery, recordRequests, readChartTable } from './helpers';

/**
 * The Conditions page: every chart's data table equals an independent DuckDB 1.5 query over the
 * served Parquet, for the default view (build-time HTML and the live engine) and filtered URLs.
 */

const codes = JSON.parse(readFileSync('data/codes.json', 'utf8')) as Record<string, Record<string, { en: string }>>;
const regionNames = new Map(
	readFileSync('data/regions.csv', 'utf8')
		.trim()
		.split(/\r?\n/)
		.slice(1)
		.map((l) => l.split(','))
		.map((c) => [c[0], c[1]] as [string, string])
);
const messages = (locale: string) => JSON.parse(readFileSync(`messages/conditions/${locale}.json`, 'utf8')) as Record<string, string>;

interface Filters {
	from?: number;
	to?: number;
	region?: string[];
	ftype?: string[];
	auth?: string[];
	ind?: string[];
}

/** The independent WHERE: literal values (test-only SQL), the same meaning as the app's filters. */
function where(f: Filters, extra: string[] = [], withInd = true): string {
	const list = (col: string, v?: string[]) => (v?.length ? [`${col} IN (${v.map((x) => `'${x}'`).join(', ')})`] : []);
	const c = [
		...extra,
		...(f.from ? [`year(f.visit_month) >= ${f.from}`] : []),
		...(f.to ? [`year(f.visit_month) <= ${f.to}`] : []),
		...list('f.region_code', f.region),
		...list('f.facility_type', f.ftype),
		...list('v.authority', f.auth),
		...(withInd ? list('f.indicator', f.ind) : [])
	];
	return c.length ? ' WHERE ' + c.join(' AND ') : '';
}
const FROM = 'FROM findings f LEFT JOIN (SELECT visit_id, authority FROM visits) v ON v.visit_id = f.visit_id';

const num = (v: unknown) => (v == null ? null : Number(v));
function expectNumber(got: string, want: number | null, where: string) {
	if (want == null) expect(got, where).toBe('');
	else expect(Number(got), where).toBeCloseTo(want, 9);
}

async function checkHeatmap(page: Page, f: Filters) {
	const want = await independentQuery<{ region_code: string; indicator: string; n: number; met: number }>(
		`SELECT f.region_code, f.indicator, count(f.meets_standard)::INTEGER AS n, count(*) FILTER (WHERE f.meets_standard)::INTEGER AS met
		${FROM}${where(f)} GROUP BY ALL`
	);
	const rows = await readChartTable(page, 'conditions-heatmap');
	expect(rows.length).toBe(want.length);
	const got = new Map(rows.map((r) => [`${r.region}|${r.indicator}`, r]));
	for (const w of want) {
		const key = `${regionNames.get(w.region_code)}|${codes.indicator[w.indicator].en}`;
		const r = got.get(key);
		expect(r, key).toBeDefined();
		expect(Number(r!.n), key).toBe(w.n);
		expect(Number(r!.met), key).toBe(w.met);
		expectNumber(r!.share, w.n >= 5 ? w.met / w.n : null, key);
	}
}

async function checkLivingSpace(page: Page, f: Filters) {
	const want = await independentQuery<Record<string, number | string>>(
		`SELECT f.facility_type, count(*)::INTEGER AS n, quantile_cont(f.value, 0.05) AS p05, quantile_cont(f.value, 0.25) AS q1,
		quantile_cont(f.value, 0.5) AS median, quantile_cont(f.value, 0.75) AS q3, quantile_cont(f.value, 0.95) AS p95,
		avg((f.value < 4)::INTEGER) AS below
		${FROM}${where(f, ["f.indicator = 'living_space_m2'", 'f.value IS NOT NULL'], false)} GROUP BY ALL`
	);
	const rows = await readChartTable(page, 'conditions-living-space');
	expect(rows.length).toBe(want.length);
	for (const w of want) {
		const name = codes.facility_type[w.facility_type as string].en;
		const r = rows.find((x) => x.facility_type === name);
		expect(r, name).toBeDefined();
		expect(Number(r!.n)).toBe(w.n);
		const enough = Number(w.n) >= 5;
		for (const k of ['p05', 'q1', 'median', 'q3', 'p95', 'below']) expectNumber(r![k], enough ? num(w[k]) : null, `${name} ${k}`);
	}
}

async function checkOccupancy(page: Page, f: Filters) {
	// Only the verdict is published for occupancy (the rate would narrow capacity within its band).
	const want = await independentQuery<{ year: number; n: number; over: number }>(
		`SELECT year(f.visit_month)::INTEGER AS year, count(*)::INTEGER AS n, avg((NOT f.meets_standard)::INTEGER) AS over
		${FROM}${where(f, ["f.indicator = 'occupancy_rate'", 'f.meets_standard IS NOT NULL'], false)} GROUP BY ALL ORDER BY year`
	);
	const [span] = await independentQuery<{ a: number; b: number }>('SELECT min(year(visit_month))::INTEGER AS a, max(year(visit_month))::INTEGER AS b FROM findings');
	const rows = await readChartTable(page, 'conditions-occupancy');
	const from = f.from ?? span.a;
	const to = f.to ?? span.b;
	expect(rows.map((r) => Number(r.year))).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
	for (const r of rows) {
		const w = want.find((x) => x.year === Number(r.year));
		expect(Number(r.n), r.year).toBe(w?.n ?? 0);
		expectNumber(r.over, w ? w.over : null, `${r.year} over`);
	}
}

async function checkAll(page: Page, f: Filters) {
	await checkHeatmap(page, f);
	await checkLivingSpace(page, f);
	await checkOccupancy(page, f);
}

/** Waits until the browser engine has answered for the URL's state and no update is pending. */
async function waitLive(page: Page) {
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	for (const id of ['conditions-heatmap', 'conditions-living-space', 'conditions-occupancy'])
		await expect(page.locator(`[data-chart="${id}"]`)).toHaveAttribute('aria-busy', 'false');
}

test('the default view is in the built HTML and equals independent queries', async ({ page }) => {
	await page.goto('/conditions/');
	await expect(page.locator('[data-chart="conditions-heatmap"] svg rect[data-row]').first()).toBeVisible();
	await expect(page.locator('[data-chart="conditions-living-space"] svg rect.box')).not.toHaveCount(0);
	await expect(page.locator('[data-chart="conditions-occupancy"] svg path.main')).toHaveCount(1);
	await checkAll(page, {});
	await waitLive(page);
	await checkAll(page, {});
});

const FILTERED: [string, Filters][] = [
	['/conditions/?from=2018&to=2021&v=1', { from: 2018, to: 2021 }],
	['/conditions/?region=KZ-71,KZ-75&v=1', { region: ['KZ-71', 'KZ-75'] }],
	['/conditions/?ftype=ivs,sizo&ind=living_space_m2,sanitation&v=1', { ftype: ['ivs', 'sizo'], ind: ['living_space_m2', 'sanitation'] }],
	['/conditions/?auth=mia_police&from=2022&v=1', { auth: ['mia_police'], from: 2022 }],
	['/conditions/?ftype=military_guardhouse,reception_distribution&from=2024&v=1', { ftype: ['military_guardhouse', 'reception_distribution'], from: 2024 }]
];
for (const [url, f] of FILTERED) {
	test(`filtered view ${url} equals independent queries`, async ({ page }) => {
		await page.goto(url);
		await waitLive(page);
		await checkAll(page, f);
	});
}

test('an empty selection says so and hides the heatmap; leaving it draws the right answer again', async ({ page }) => {
	// Penal-system authority and military guardhouses (run by defence) have no finding together.
	await page.goto('/conditions/?auth=mia_penal&v=1');
	await waitLive(page);
	const heatmap = page.locator('[data-chart="conditions-heatmap"]');
	const checkbox = page.locator('details[data-filter="ftype"] input[value="military_guardhouse"]');
	await page.locator('details[data-filter="ftype"] > summary').click();
	// The heatmap's drawing is marked, to tell whether it is kept or built again.
	await heatmap.locator('svg').first().evaluate((el) => ((el as unknown as { kzMark: boolean }).kzMark = true));
	const height = async () => (await heatmap.locator('.body').boundingBox())!.height;
	const before = await height();
	await checkbox.check();
	await expect(heatmap).toHaveAttribute('data-status', 'empty');
	// The chart's area keeps its size (the charts below do not move up, into the screen).
	expect(Math.abs((await height()) - before)).toBeLessThan(2);
	const empty = (JSON.parse(readFileSync('messages/en.json', 'utf8')) as Record<string, string>).chart_empty;
	await expect(heatmap.getByText(empty)).toBeVisible();
	// The drawing is kept (hidden: out of sight, focus and the accessibility tree), not shown.
	await expect(heatmap.locator('svg rect[data-row]').first()).toBeHidden();
	await expect(heatmap.locator('[data-chart-table]')).toHaveCount(0);
	await checkbox.uncheck();
	await expect(heatmap).toHaveAttribute('data-status', 'ready');
	await expect(heatmap.locator('svg rect[data-row]').first()).toBeVisible();
	// Updated, not built again (building 260 cells was the slow part of this change).
	expect(await heatmap.locator('svg').first().evaluate((el) => (el as unknown as { kzMark?: boolean }).kzMark === true)).toBe(true);
	await waitLive(page);
	await checkHeatmap(page, { auth: ['mia_penal'] });
});

test('small cells show "not enough data" and are not coloured', async ({ page }) => {
	await page.goto('/conditions/?ftype=military_guardhouse,reception_distribution&from=2024&v=1');
	await waitLive(page);
	const rows = await readChartTable(page, 'conditions-heatmap');
	const small = rows.filter((r) => Number(r.n) < 5);
	expect(small.length).toBeGreaterThan(0);
	const hatched = page.locator('[data-chart="conditions-heatmap"] svg rect[data-row][fill^="url("]');
	expect(await hatched.count()).toBe(small.length);
});

test('the heatmap works by keyboard: arrow keys move the tooltip cell by cell', async ({ page }) => {
	await page.goto('/conditions/');
	const chart = page.locator('[data-chart="conditions-heatmap"]');
	await chart.locator('.plot').focus();
	const tip = chart.locator('.tooltip');
	await page.keyboard.press('ArrowRight');
	const rows = await readChartTable(page, 'conditions-heatmap');
	// First region by name, first indicator in code-list order.
	await expect(tip).toContainText(`${rows[0].region} · ${rows[0].indicator}`);
	await expect(tip).toContainText('meet the standard');
	await expect(tip).toContainText('findings');
	await page.keyboard.press('ArrowRight');
	await expect(tip).toContainText(`${rows[1].region} · ${rows[1].indicator}`);
	await page.keyboard.press('ArrowDown');
	const second = rows.find((r) => r.region !== rows[0].region)!;
	await expect(tip).toContainText(second.region);
	await page.keyboard.press('Escape');
	await expect(tip).toHaveCount(0);
	// The box plot too.
	await page.locator('[data-chart="conditions-living-space"] .plot').focus();
	await page.keyboard.press('ArrowDown');
	await expect(page.locator('[data-chart="conditions-living-space"] .tooltip')).toContainText('Median');
});

test('a region row label filters the page to that region', async ({ page }) => {
	await page.goto('/conditions/');
	await waitLive(page);
	await page.locator('[data-chart="conditions-heatmap"] .row-labels button', { hasText: 'Astana' }).click();
	await expect(page).toHaveURL(/region=KZ-71/);
	await waitLive(page);
	const rows = await readChartTable(page, 'conditions-heatmap');
	expect(new Set(rows.map((r) => r.region))).toEqual(new Set(['Astana']));
});

test('Kazakh page shows Kazakh strings', async ({ page }) => {
	await page.goto('/kk/conditions/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'kk');
	const kk = messages('kk');
	await expect(page.locator('h1')).toHaveText(kk.cond_page_title);
	await expect(page.locator('[data-chart="conditions-living-space"] h2')).toHaveText(kk.cond_space_title);
});

test('fits a 360 px wide screen', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 800 });
	await page.goto('/conditions/');
	await waitLive(page);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
});

for (const locale of ['', 'ru/', 'kk/']) {
	test(`axe-core finds no violations on /${locale}conditions/ (${axeSchemes(locale).join(' and ')}), no request leaves the origin, fits 360 px`, async ({ page, baseURL }) => {
		// axe over ~1,500 table cells and SVG marks is slow on a busy 2-core machine.
		test.setTimeout(180_000);
		const requests = recordRequests(page, baseURL!);
		await page.goto(`/${locale}conditions/`);
		await expect(page.locator('html')).toHaveAttribute('lang', locale ? locale.slice(0, 2) : 'en');
		// Let the browser engine finish first, so the DOM does not change under axe.
		await waitLive(page);
		// Every table in English; in a translation the small occupancy table (see openTablesForAxe).
		for (const id of locale ? ['conditions-occupancy'] : ['conditions-heatmap', 'conditions-living-space', 'conditions-occupancy'])
			await page.locator(`[data-chart="${id}"] details summary`).click();
		// With a tooltip open, too.
		await page.locator('[data-chart="conditions-heatmap"] .plot').focus();
		await page.keyboard.press('ArrowRight');
		await expectNoAxeViolations(page, axeSchemes(locale));
		await expectOwnOriginAndFits360(page, requests);
	});
}
