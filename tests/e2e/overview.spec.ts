import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { independentQuery, readChartTable } from './helpers';

/**
 * The map's table for a state, computed independently with DuckDB 1.5 over the released files.
 * Allegations and residents over the same years: those shown within the allegations' span.
 */
type MapRow = { region_code: string; value: number | null; n: number };

async function expectedMap(measure: 'allegations' | 'conditions' | 'recommendations', where: { from?: number; to?: number; ftype?: string[] }): Promise<MapRow[]> {
	const yr = (col: string) => [where.from ? `${col} >= ${where.from}` : '', where.to ? `${col} <= ${where.to}` : ''].filter(Boolean);
	const ft = where.ftype?.length ? [`facility_type IN (${where.ftype.map((f) => `'${f}'`).join(',')})`] : [];
	const and = (c: string[]) => (c.length ? ' AND ' + c.join(' AND ') : '');
	if (measure === 'allegations') {
		return independentQuery<MapRow>(
			`SELECT p.region_code, coalesce(a.n, 0)::INTEGER AS n, CASE WHEN p.res > 0 THEN coalesce(a.n, 0) * 100000.0 / p.res END AS value
			FROM (SELECT region_code, sum(residents) AS res FROM region_year
				WHERE year BETWEEN (SELECT min(report_year) FROM allegations) AND (SELECT max(report_year) FROM allegations)${and(yr('year'))} GROUP BY 1) p
			LEFT JOIN (SELECT region_code, count(*) AS n FROM allegations WHERE region_code IS NOT NULL AND report_year IS NOT NULL${and([...yr('report_year'), ...ft])} GROUP BY 1) a
			USING (region_code) ORDER BY 1`
		);
	}
	if (measure === 'conditions') {
		return independentQuery<MapRow>(
			`SELECT region_code, count(meets_standard)::INTEGER AS n, avg(CASE WHEN meets_standard THEN 1 ELSE 0 END) AS value FROM findings
			WHERE region_code IS NOT NULL${and([...yr('year(visit_month)'), ...ft])} GROUP BY 1 ORDER BY 1`
		);
	}
	return independentQuery<MapRow>(
		`SELECT region_code, count(*)::INTEGER AS n, avg(CASE WHEN status = 'implemented' THEN 1 ELSE 0 END) AS value FROM recommendations
		WHERE region_code IS NOT NULL${and([...yr('year(issued_month)'), ...ft])} GROUP BY 1 ORDER BY 1`
	);
}

async function mapRows(page: Page) {
	const rows = await readChartTable(page, 'region-map');
	return rows.map((r) => ({ code: r.code, value: r.value === '' ? null : Number(r.value), n: Number(r.n) })).sort((a, b) => (a.code < b.code ? -1 : 1));
}

function expectClose(got: { code: string; value: number | null; n: number }[], want: { region_code: string; value: number | null; n: number }[]) {
	const byCode = new Map(want.map((w) => [w.region_code, w]));
	for (const g of got) {
		const w = byCode.get(g.code);
		expect(g.n, g.code).toBe(w?.n ?? 0);
		if (w?.value == null) expect(g.value, g.code).toBeNull();
		else expect(g.value!, g.code).toBeCloseTo(Number(w.value), 9);
	}
	expect(got).toHaveLength(20);
}

const cases = [
	{ url: '/', measure: 'allegations' as const, where: {} },
	{ url: '/?ftype=sizo&v=1', measure: 'allegations' as const, where: { ftype: ['sizo'] } },
	{ url: '/?from=2019&to=2022&map=conditions&v=1', measure: 'conditions' as const, where: { from: 2019, to: 2022 } },
	{ url: '/?ftype=ivs,penal_colony&map=recommendations&v=1', measure: 'recommendations' as const, where: { ftype: ['ivs', 'penal_colony'] } }
];

for (const c of cases) {
	test(`overview map ${c.url} equals an independent query`, async ({ page }) => {
		await page.goto(c.url);
		if (c.url !== '/') await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
		await expect(page.locator('[data-chart="region-map"]')).toHaveAttribute('data-status', 'ready');
		expectClose(await mapRows(page), await expectedMap(c.measure, c.where));
	});
}

test('headline figures equal independent counts', async ({ page }) => {
	await page.goto('/');
	const [last] = await independentQuery<{ year: number; n: number }>(
		'SELECT report_year::INTEGER AS year, count(*)::INTEGER AS n FROM allegations WHERE report_year IS NOT NULL GROUP BY 1 ORDER BY 1 DESC LIMIT 1'
	);
	const card = page.locator('[data-headline="allegations"]');
	await expect(card).toHaveAttribute('data-year', String(last.year));
	await expect(card).toHaveAttribute('data-value', String(last.n));
	const [visits] = await independentQuery<{ year: number; n: number }>(
		'SELECT year(visit_month)::INTEGER AS year, count(*)::INTEGER AS n FROM visits GROUP BY 1 ORDER BY 1 DESC LIMIT 1'
	);
	await expect(page.locator('[data-headline="visits"]')).toHaveAttribute('data-value', String(visits.n));
	// The share of findings meeting the standard in the last year, with its Wilson 95% interval,
	// computed here from the counts.
	const [std] = await independentQuery<{ year: number; met: number; n: number }>(
		`SELECT year(visit_month)::INTEGER AS year, count(*) FILTER (WHERE meets_standard)::INTEGER AS met, count(meets_standard)::INTEGER AS n
		FROM findings GROUP BY 1 ORDER BY 1 DESC LIMIT 1`
	);
	const standards = page.locator('[data-headline="standards"]');
	await expect(standards).toHaveAttribute('data-n', String(std.n));
	expect(Number(await standards.getAttribute('data-value'))).toBeCloseTo(std.met / std.n, 9);
	const z = 1.959963984540054;
	const p = std.met / std.n;
	const centre = (p + (z * z) / (2 * std.n)) / (1 + (z * z) / std.n);
	const half = (z / (1 + (z * z) / std.n)) * Math.sqrt((p * (1 - p)) / std.n + (z * z) / (4 * std.n * std.n));
	expect(Number(await standards.getAttribute('data-ci-low'))).toBeCloseTo(centre - half, 9);
	expect(Number(await standards.getAttribute('data-ci-high'))).toBeCloseTo(centre + half, 9);
	await expect(standards.locator('[data-headline-interval]')).toContainText('95% confidence interval');
	await expect(page.locator('[data-headline="allegations"] [data-headline-interval]')).toHaveCount(0);
});

test('the map works by keyboard: arrows move, Enter filters, the filter reaches the URL', async ({ page }) => {
	await page.goto('/');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	const plot = page.locator('[data-chart="region-map"] .plot');
	await plot.focus();
	await page.keyboard.press('ArrowDown');
	const tip = page.locator('[data-chart="region-map"] .tooltip');
	await expect(tip).toBeVisible();
	const name = (await tip.locator('strong').textContent())!;
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/region=KZ-\d\d/);
	const code = new URL(page.url()).searchParams.get('region')!;
	await expect(page.locator('[data-filter="region"] summary')).toContainText(name);
	await expect(page.locator(`[data-chart="region-map"] [data-region="${code}"]`)).toHaveClass(/selected/);
});
