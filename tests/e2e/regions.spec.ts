import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { independentQuery, readChartTable } from './helpers';

/**
 * /regions/ (the regions compared) and the region pages' like-with-like comparisons, against
 * DuckDB 1.5 over the released Parquet the site serves (an engine and code apart from the app's).
 */

type Figures = { per100k: number; allegations: number; visits: number; standards: number; implemented: number };

/** A region's (or, with null, the nation's) headline figures over every year. */
async function expected(code: string | null): Promise<Figures> {
	const r = code ? `region_code = '${code}'` : 'TRUE';
	const [row] = await independentQuery<Figures>(`
		SELECT
			(SELECT count(*) FROM allegations WHERE ${r} AND report_year BETWEEN (SELECT min(report_year) FROM allegations) AND (SELECT max(report_year) FROM allegations)) * 100000.0 /
			(SELECT sum(residents) FROM region_year WHERE ${r} AND year BETWEEN (SELECT min(report_year) FROM allegations) AND (SELECT max(report_year) FROM allegations)) AS per100k,
			(SELECT count(*) FROM allegations WHERE ${r})::INTEGER AS allegations,
			(SELECT count(*) FROM visits WHERE ${r})::INTEGER AS visits,
			(SELECT avg(CASE WHEN meets_standard THEN 1.0 ELSE 0.0 END) FROM findings WHERE meets_standard IS NOT NULL AND ${r}) AS standards,
			(SELECT avg(CASE WHEN status = 'implemented' THEN 1.0 ELSE 0.0 END) FROM recommendations WHERE ${r}) AS implemented`);
	return row;
}

const KEYS = ['per100k', 'allegations', 'visits', 'standards', 'implemented'] as const;

async function tableRow(page: Page, code: string): Promise<Record<string, number>> {
	const cells = page.locator(`[data-regions-table] tr[data-region="${code}"] td[data-key]`);
	await expect(cells).toHaveCount(5);
	return Object.fromEntries(await cells.evaluateAll((tds) => tds.map((td) => [(td as HTMLElement).dataset.key!, Number((td as HTMLElement).dataset.value)])));
}

async function columnValues(page: Page, key: string): Promise<number[]> {
	return page.locator(`[data-regions-body] tr td[data-key="${key}"]`).evaluateAll((tds) => tds.map((td) => Number((td as HTMLElement).dataset.value)));
}

test('/regions/: the table equals an independent query for the nation and two regions', async ({ page }) => {
	await page.goto('/regions/');
	await expect(page.locator('[data-regions-body] tr')).toHaveCount(20);
	for (const code of ['national', 'KZ-75', 'KZ-33']) {
		const got = await tableRow(page, code);
		const want = await expected(code === 'national' ? null : code);
		expect(want.visits).toBeGreaterThan(0);
		expect(got.allegations, code).toBe(want.allegations);
		expect(got.visits, code).toBe(want.visits);
		for (const k of ['per100k', 'standards', 'implemented'] as const) expect(got[k], `${code} ${k}`).toBeCloseTo(want[k], 9);
	}
	// Each region's name links to its page; every figure has a small line with a text alternative.
	await expect(page.locator('[data-regions-table] tr[data-region="KZ-75"] th a')).toHaveAttribute('href', /\/regions\/KZ-75\/$/);
	const spark = page.locator('[data-regions-table] tr[data-region="KZ-75"] td[data-key="visits"] svg[role="img"]');
	const [visits2019] = await independentQuery<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM visits WHERE region_code = 'KZ-75' AND year(visit_month) = 2019`);
	await expect(spark).toHaveAttribute('aria-label', new RegExp(`2019: ${visits2019.n.toLocaleString('en-US')};`));
});

test('/regions/: the numbers are in the HTML without JavaScript', async ({ browser, baseURL }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
	const page = await context.newPage();
	await page.goto('/regions/');
	const want = await expected('KZ-75');
	expect((await tableRow(page, 'KZ-75')).visits).toBe(want.visits);
	await expect(page.locator('[data-regions-body] tr')).toHaveCount(20);
	await context.close();
});

test('/regions/: sorting by keyboard, with aria-sort and an announcement', async ({ page }) => {
	await page.goto('/regions/');
	const visitsHead = page.locator('th[data-sort-key="visits"]');
	await expect(page.locator('th[data-sort-key="name"]')).toHaveAttribute('aria-sort', 'ascending');
	await expect(visitsHead).toHaveAttribute('aria-sort', 'none');
	// Reach the heading's button with Tab from the one before it, then press Enter.
	await page.locator('th[data-sort-key="allegations"] button').focus();
	await page.keyboard.press('Tab');
	await expect(visitsHead.locator('button')).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(visitsHead).toHaveAttribute('aria-sort', 'descending');
	await expect(page.locator('th[data-sort-key="name"]')).toHaveAttribute('aria-sort', 'none');
	const down = await columnValues(page, 'visits');
	expect(down).toEqual([...down].sort((a, b) => b - a));
	expect(down[0]).toBeGreaterThan(down[19]);
	await expect(page.locator('[data-sort-status]')).toContainText('Monitoring visits');
	// The largest is the region an independent query names.
	const [top] = await independentQuery<{ code: string }>(`SELECT region_code AS code FROM visits WHERE region_code IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
	await expect(page.locator('[data-regions-body] tr').first()).toHaveAttribute('data-region', top.code);
	// Space reverses; the national row stays first, outside the sorted rows.
	await page.keyboard.press('Space');
	await expect(visitsHead).toHaveAttribute('aria-sort', 'ascending');
	const up = await columnValues(page, 'visits');
	expect(up).toEqual([...down].reverse());
	await expect(page.locator('[data-regions-table] tbody').first().locator('tr')).toHaveAttribute('data-region', 'national');
	// The map follows the column sorted by.
	await expect(page.locator('[data-chart="regions-map"] h2')).toContainText('Monitoring visits');
});

test('/regions/ at 360 px: the table scrolls inside a focusable region, the page does not', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 800 });
	await page.goto('/regions/');
	const scroller = page.locator('[role="region"]:has([data-regions-table])');
	await expect(scroller).toHaveAttribute('tabindex', '0');
	const { client, scroll } = await scroller.evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth }));
	expect(scroll).toBeGreaterThan(client);
	await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	// Focused, the arrow keys scroll it: nothing is out of reach.
	await scroller.focus();
	await page.keyboard.press('End');
	await page.keyboard.press('ArrowRight');
	await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
});

test('a region page compares rates with rates on one scale, and counts as shares of the national totals', async ({ page }) => {
	await page.goto('/regions/KZ-75/');
	const [yearly] = await independentQuery<{ years: number[]; region: number[]; national: number[] }>(`
		WITH r AS (SELECT year, sum(residents) FILTER (WHERE region_code = 'KZ-75') AS pr, sum(residents) AS pn FROM region_year GROUP BY 1),
		a AS (SELECT report_year AS year, count(*) FILTER (WHERE region_code = 'KZ-75') AS nr, count(*) AS nn FROM allegations GROUP BY 1)
		SELECT list(year::INTEGER ORDER BY year) AS years, list(nr * 100000.0 / pr ORDER BY year) AS region, list(nn * 100000.0 / pn ORDER BY year) AS national
		FROM "a" JOIN "r" USING (year)`); // quoted: independentQuery reads a bare FROM name as a released table
	const rate = await readChartTable(page, 'region-rate-by-year');
	expect(rate.map((r) => Number(r.year))).toEqual(yearly.years);
	rate.forEach((r, i) => {
		expect(Number(r.region)).toBeCloseTo(yearly.region[i], 9);
		expect(Number(r.national)).toBeCloseTo(yearly.national[i], 9);
	});
	// One axis: the region's and the nation's lines are drawn in the same plot.
	await expect(page.locator('[data-chart="region-rate-by-year"] svg path.main')).toHaveCount(1);
	await expect(page.locator('[data-chart="region-rate-by-year"] svg path.highlight')).toHaveCount(1);

	// The counts by year draw the regions alone (one scale for like units); the total stays in the table.
	await expect(page.locator('[data-chart="allegations-by-year"] svg path.main')).toHaveCount(0);
	await expect(page.locator('[data-chart="allegations-by-year"] svg path.highlight[data-series="KZ-75"]')).toHaveCount(1);
	const counts = await readChartTable(page, 'allegations-by-year');
	const [n2020] = await independentQuery<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM allegations WHERE report_year = 2020`);
	expect(Number(counts.find((r) => r.year === '2020')!.national)).toBe(n2020.n);

	const region = await expected('KZ-75');
	const nation = await expected(null);
	const index = await readChartTable(page, 'region-compare');
	expect(index).toHaveLength(4);
	expect(Number(index[0].region)).toBeCloseTo(region.per100k, 9);
	expect(Number(index[0].national)).toBeCloseTo(nation.per100k, 9);
	expect(Number(index[0].index)).toBeCloseTo((region.per100k / nation.per100k) * 100, 6);
	expect(Number(index[2].index)).toBeCloseTo((region.standards / nation.standards) * 100, 6);

	const shares = await readChartTable(page, 'region-shares');
	const visits = shares[1];
	expect(visits.measure).toBe('Monitoring visits');
	expect(Number(visits.region)).toBe(region.visits);
	expect(Number(visits.national)).toBe(nation.visits);
	expect(Number(visits.share)).toBeCloseTo(region.visits / nation.visits, 12);
	const pct = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format((region.visits / nation.visits) * 100);
	await expect(page.locator('[data-share="visits"]')).toHaveText(
		`Monitoring visits: ${region.visits.toLocaleString('en-US')}, ${pct}% of the national ${nation.visits.toLocaleString('en-US')}`
	);
});

test('ru and kk: /regions/ and a region page render in their language', async ({ page }) => {
	await page.goto('/ru/regions/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
	await expect(page.locator('th[data-sort-key="allegations"]')).toContainText('Сообщения');
	await expect(page.locator('[data-regions-table] tr[data-region="national"] th')).toHaveText('Казахстан');
	await expect(page.locator('[data-regions-body] tr')).toHaveCount(20);
	await page.locator('th[data-sort-key="per100k"] button').focus();
	await page.keyboard.press('Enter');
	await expect(page.locator('[data-sort-status]')).toContainText('по убыванию');

	await page.goto('/kk/regions/KZ-75/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'kk');
	await expect(page.locator('[data-chart="region-rate-by-year"] h2')).toContainText('Жылына 100 000 тұрғынға хабарламалар');
	await expect(page.locator('[data-chart="region-shares"] [data-share="visits"]')).toContainText('ел бойынша барлығы');
	await expect(page.locator('[data-chart="region-compare"] [data-chart-summary]')).not.toBeEmpty();
});

test('a region page under a filter: the browser engine recomputes the comparison (pre-trial detention only)', async ({ page }) => {
	await page.goto('/regions/KZ-75/?ftype=sizo&v=1');
	const [want] = await independentQuery<{ region: number; national: number; rate: number; nrate: number }>(`
		SELECT
			(SELECT count(*) FROM visits WHERE facility_type = 'sizo' AND region_code = 'KZ-75')::INTEGER AS region,
			(SELECT count(*) FROM visits WHERE facility_type = 'sizo')::INTEGER AS national,
			(SELECT count(*) FROM allegations WHERE facility_type = 'sizo' AND region_code = 'KZ-75' AND report_year = 2020) * 100000.0 /
				(SELECT sum(residents) FROM region_year WHERE region_code = 'KZ-75' AND year = 2020) AS rate,
			(SELECT count(*) FROM allegations WHERE facility_type = 'sizo' AND report_year = 2020) * 100000.0 /
				(SELECT sum(residents) FROM region_year WHERE year = 2020) AS nrate`);
	const [all] = await independentQuery<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM visits`);
	expect(want.national).toBeLessThan(all.n);
	await expect.poll(async () => Number((await readChartTable(page, 'region-shares'))[1].national), { timeout: 40_000 }).toBe(want.national);
	expect(Number((await readChartTable(page, 'region-shares'))[1].region)).toBe(want.region);
	const rate = await readChartTable(page, 'region-rate-by-year');
	const y2020 = rate.find((r) => r.year === '2020')!;
	expect(Number(y2020.region)).toBeCloseTo(want.rate, 9);
	expect(Number(y2020.national)).toBeCloseTo(want.nrate, 9);
});

test('one format per measure: a region\'s rate reads the same on /regions/, on its page and on the overview\'s map', async ({ page }) => {
	const { per100k } = await expected('KZ-75');
	// Rates everywhere with at most two decimals (src/lib/i18n/measures.ts): before, the map and the
	// region pages showed one and the funnel two.
	const want = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(per100k);
	expect(want).toMatch(/\.\d\d$/);
	await page.goto('/regions/');
	await expect(page.locator('[data-regions-table] tr[data-region="KZ-75"] td[data-key="per100k"]')).toContainText(want);
	await page.goto('/regions/KZ-75/');
	await expect(page.locator('[data-chart="region-compare"] svg')).toContainText(want);
	await page.goto('/');
	await expect(page.locator('[data-chart="region-map"] [data-region="KZ-75"]').first()).toContainText(want);
});
