import { test, expect } from './fixtures';
import { axeSchemes, expectNoAxeViolations, expectOwnOriginAndFits360, openTablesForAxe, recordRequests } from './helpers';
import { AXE_ELSEWHERE, LOCALES, PAGES } from './pages';

/*
 * Every page in every language: no request leaves the origin and nothing is wider than 360 px; with
 * axe-core. The pages in AXE_ELSEWHERE get all three checks in their own spec's axe test, on the page
 * it has already loaded and opened up for axe (tables, tooltips, a query run), instead of loading each
 * of them here once more.
 */
for (const path of PAGES.filter((p) => !AXE_ELSEWHERE.includes(p))) {
	for (const locale of LOCALES) {
		const url = '/' + locale + path.replace(/^\//, '');
		test(`${url}: axe-core finds no violations (${axeSchemes(url).join(' and ')}), no request leaves the origin, fits 360 px`, async ({ page, baseURL }) => {
			test.setTimeout(180_000);
			const requests = recordRequests(page, baseURL!);
			await page.goto(url);
			await expect(page.locator('html')).toHaveAttribute('lang', locale ? locale.slice(0, 2) : 'en');
			// Open the data tables so they are checked too (all in English, one in a translation).
			await openTablesForAxe(page, url);
			await expectNoAxeViolations(page, axeSchemes(url));
			await expectOwnOriginAndFits360(page, requests);
		});
	}
}

test('a region page compares the region with the nation, from an independent query', async ({ page }) => {
	await page.goto('/regions/KZ-75/');
	const { independentQuery, readChartTable } = await import('./helpers');
	const [want] = await independentQuery<{ region: number; national: number }>(
		`SELECT (SELECT count(*) FROM visits WHERE region_code = 'KZ-75')::INTEGER AS region, (SELECT count(*) FROM visits)::INTEGER AS national`
	);
	const rows = await readChartTable(page, 'region-compare');
	expect(rows.length).toBe(4);
	const visitRow = (await readChartTable(page, 'region-shares'))[1];
	expect(Number(visitRow.region)).toBe(want.region);
	expect(Number(visitRow.national)).toBe(want.national);
	const [share] = await independentQuery<{ region: number; national: number }>(
		`SELECT (SELECT avg(CASE WHEN meets_standard THEN 1 ELSE 0 END) FROM findings WHERE region_code = 'KZ-75') AS region,
		(SELECT avg(CASE WHEN meets_standard THEN 1 ELSE 0 END) FROM findings) AS national`
	);
	expect(Number(rows[2].region)).toBeCloseTo(share.region, 9);
	expect(Number(rows[2].national)).toBeCloseTo(share.national, 9);
});

test('a split unit says when it was created instead of showing a false zero', async ({ page }) => {
	await page.goto('/regions/KZ-33/');
	await expect(page.locator('[data-region-created]')).toContainText('2022');
	await page.goto('/kk/regions/KZ-79/');
	await expect(page.locator('[data-region-created]')).toContainText('2018');
});
