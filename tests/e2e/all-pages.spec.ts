import { test, expect } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { axeSchemes, openTablesForAxe, recordRequests } from './helpers';
import { AXE_ELSEWHERE, LOCALES, PAGES } from './pages';

for (const path of PAGES) {
	for (const locale of LOCALES) {
		const url = '/' + locale + path.replace(/^\//, '');
		const axe = !AXE_ELSEWHERE.includes(path);
		test(`${url}: ${axe ? `axe-core finds no violations (${axeSchemes(url).join(' and ')}), ` : ''}no request leaves the origin, fits 360 px`, async ({ page, baseURL }) => {
			test.setTimeout(180_000);
			const requests = recordRequests(page, baseURL!);
			await page.goto(url);
			await expect(page.locator('html')).toHaveAttribute('lang', locale ? locale.slice(0, 2) : 'en');
			if (axe) {
				// Open the data tables so they are checked too (all in English, one in a translation).
				await openTablesForAxe(page, url);
				for (const scheme of axeSchemes(url)) {
					await page.emulateMedia({ colorScheme: scheme });
					const results = await new AxeBuilder({ page }).analyze();
					expect(results.violations.map((v) => `${scheme} ${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
				}
			}
			await page.waitForLoadState('networkidle');
			expect(requests.foreign()).toEqual([]);
			// Usable on a phone: nothing widens the page beyond 360 px.
			await page.setViewportSize({ width: 360, height: 800 });
			await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
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
