import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { independentQuery, readChartTable } from './helpers';
import { download, text } from './portal-helpers';

/**
 * Uncertainty on the Allegations page (Chromium, English): the funnel plot renders with its data
 * table; each region's allegations, resident-years, rate and 95% interval equal an independent
 * computation (DuckDB 1.5 over build/data; the interval by its defining property, Poisson tail sums
 * in SQL); the summary calls a region above or below the national level exactly when its interval
 * excludes it, and names the regions with fewer than 20 allegations; the CSV has ci95_low/ci95_high.
 */
const CHART = 'region-funnel';

interface Case {
	name: string;
	search: string;
	from?: number;
	atype?: string[];
}
const CASES: Case[] = [
	{ name: 'default', search: '' },
	{ name: 'torture from 2021, a region selected (small counts)', search: '?from=2021&atype=torture&region=KZ-75&v=1', from: 2021, atype: ['torture'] }
];

async function open(page: Page, c: Case) {
	await page.goto(`/allegations/${c.search}`);
	if (c.search) await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	const chart = page.locator(`[data-chart="${CHART}"]`);
	await expect(chart).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
	await expect(chart).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
	return chart;
}

/** Per region: allegations and resident-years over the allegations' years (from `from`) where the region has residents. */
async function expected(c: Case) {
	const types = c.atype?.length ? `allegation_type IN (${c.atype.map((t) => `'${t}'`).join(', ')})` : 'TRUE';
	// (independentQuery reads every "FROM name" as a released table: the derived tables sit in parentheses.)
	const rows = await independentQuery<{ code: string; exposure: number; n: number }>(`
		SELECT pop.region_code AS code, sum(pop.residents)::DOUBLE AS exposure, coalesce(sum(cnt.n), 0)::INTEGER AS n
		FROM (
			SELECT region_code, year, residents FROM region_year
			WHERE residents > 0 AND year BETWEEN greatest((SELECT min(report_year) FROM allegations), ${c.from ?? 0}) AND (SELECT max(report_year) FROM allegations)
		) AS pop
		LEFT JOIN (SELECT region_code, report_year AS year, count(*) AS n FROM allegations WHERE ${types} GROUP BY ALL) AS cnt USING (region_code, year)
		GROUP BY 1`);
	const national = (rows.reduce((s, r) => s + r.n, 0) / rows.reduce((s, r) => s + r.exposure, 0)) * 1e5;
	return { rows: new Map(rows.map((r) => [r.code, r])), national };
}

/** P(X ≤ k) for X ~ Poisson(mu), summed in SQL. */
async function poissonCdf(k: number, mu: number): Promise<number> {
	if (k < 0) return 0;
	const [r] = await independentQuery<{ p: number }>(`SELECT sum(exp(r * ln(${mu}) - ${mu} - lgamma(r + 1))) AS p FROM (SELECT unnest(range(0, ${k + 1})) AS r)`);
	return r.p;
}

/** The text of the sentence that starts with `start`, up to its closing full stop. */
const sentence = (summary: string, start: string) => summary.match(new RegExp(`${start.replace(/[()]/g, '\\$&')}[^:]*: (.*?)\\.(?= [A-Z]|$)`))?.[1] ?? '';

for (const c of CASES) {
	test(`funnel plot: table, intervals and summary wording: ${c.name}`, async ({ page }) => {
		const chart = await open(page, c);
		await expect(chart.locator('h2')).toHaveText('Allegations per 100,000 residents by region, against chance variation');
		await expect(chart.locator('svg .point')).toHaveCount(20);
		await expect(chart.locator('svg .limit')).toHaveCount(4);

		const want = await expected(c);
		const table = await readChartTable(page, CHART);
		expect(table.length).toBe(want.rows.size);
		for (const row of table) {
			const w = want.rows.get(row.code)!;
			expect(w, row.code).toBeDefined();
			expect(Number(row.n), row.code).toBe(w.n);
			expect(Number(row.exposure), row.code).toBeCloseTo(w.exposure, 0);
			expect(Number(row.rate), row.code).toBeCloseTo((w.n / w.exposure) * 1e5, 6);
			expect(Number(row.expected), row.code).toBeCloseTo((want.national / 1e5) * w.exposure, 4);
		}
		// One region's interval, checked in full: the smallest expected count (the widest interval).
		const small = [...table].sort((a, b) => Number(a.expected) - Number(b.expected))[0];
		const w = want.rows.get(small.code)!;
		const low = Number(small.ci95_low);
		const high = Number(small.ci95_high);
		if (w.n === 0) expect(low).toBe(0);
		else expect(1 - (await poissonCdf(w.n - 1, (low * w.exposure) / 1e5))).toBeCloseTo(0.025, 6);
		expect(await poissonCdf(w.n, (high * w.exposure) / 1e5)).toBeCloseTo(0.025, 6);

		// The summary: above/below exactly the regions whose interval excludes the national rate.
		const summary = (await chart.locator('[data-chart-summary]').textContent()) ?? '';
		// Rates with at most two decimals, as everywhere (src/lib/i18n/measures.ts).
		expect(summary).toContain(`National rate: ${new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(want.national)} allegations per 100,000 residents a year.`);
		expect(summary).not.toMatch(/highest|lowest/i);
		const above = sentence(summary, 'Above the national level (');
		const below = sentence(summary, 'Below the national level (');
		const few = sentence(summary, 'Based on few cases (');
		for (const row of table) {
			const excludesAbove = Number(row.ci95_low) > want.national;
			const excludesBelow = Number(row.ci95_high) < want.national;
			expect(above.includes(`${row.region} (`), `${row.region} above`).toBe(excludesAbove);
			expect(below.includes(`${row.region} (`), `${row.region} below`).toBe(excludesBelow);
			expect(few.split(', ').includes(row.region), `${row.region} few`).toBe(Number(row.n) < 20);
		}
		if (!above && !below) expect(summary).toContain('No region is clearly above or below the national level');

		// Keyboard: the plot is one tab stop; an arrow key shows a point's label.
		await chart.locator('.plot[role="group"]').focus();
		await page.keyboard.press('ArrowRight');
		const tip = chart.locator('.tooltip[role="status"]');
		await expect(tip).toContainText(small.region);
		await expect(tip).toContainText('95% confidence interval');
		await page.keyboard.press('Escape');
		await expect(tip).toHaveCount(0);
	});
}

test('the selected region is highlighted, the CSV carries ci95_low and ci95_high', async ({ page }) => {
	const chart = await open(page, CASES[1]);
	await expect(chart.locator('svg .point.highlighted')).toHaveCount(1);
	await expect(chart.locator('svg .point.highlighted')).toHaveAttribute('data-point', 'KZ-75');
	const file = await download(page, () => chart.getByRole('button', { name: "Download this chart's data (CSV)" }).click());
	const header = text(file.bytes).replace(/^\ufeff/, '').split('\r\n')[0].split(',');
	expect(header).toEqual(expect.arrayContaining(['ci95_low', 'ci95_high', 'limit95_low', 'limit998_high']));
});

test('the funnel plot passes axe in Russian and Kazakh, with the table open and a point shown', async ({ page }) => {
	for (const prefix of ['ru', 'kk']) {
		await page.goto(`/${prefix}/allegations/`);
		const chart = page.locator(`[data-chart="${CHART}"]`);
		await expect(chart).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
		await readChartTable(page, CHART);
		await chart.locator('.plot[role="group"]').focus();
		await page.keyboard.press('End');
		await expect(chart.locator('.tooltip[role="status"]')).toBeVisible();
		const results = await new AxeBuilder({ page }).include(`[data-chart="${CHART}"]`).analyze();
		expect(results.violations.map((v) => `${prefix} ${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
		await expect(chart.locator('[data-chart-summary]')).toContainText(prefix === 'ru' ? 'По стране:' : 'Ел бойынша:');
	}
});

test('region map on the overview: interval columns, and no "highest/lowest" in its summary', async ({ page }) => {
	await page.goto('/');
	const chart = page.locator('[data-chart="region-map"]');
	await expect(chart).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
	const table = await readChartTable(page, 'region-map');
	for (const row of table.filter((r) => r.value !== '')) {
		expect(Number(row.ci95_low), row.code).toBeLessThan(Number(row.value));
		expect(Number(row.ci95_high), row.code).toBeGreaterThan(Number(row.value));
	}
	const summary = (await chart.locator('[data-chart-summary]').textContent()) ?? '';
	expect(summary).not.toMatch(/Highest|Lowest/);
	expect(summary).toContain('National rate:');
});

test('the funnel plot embeds: a filtered embed gives the same rows as an independent computation', async ({ page }) => {
	const c = CASES[1];
	await page.goto(`/embed/region-funnel/${c.search}`);
	const chart = page.locator(`[data-chart="${CHART}"]`);
	await expect(chart).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
	await expect(chart).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
	await expect(chart.locator('svg .point.highlighted')).toHaveAttribute('data-point', 'KZ-75');
	const want = await expected(c);
	const table = await readChartTable(page, CHART);
	expect(table.length).toBe(want.rows.size);
	for (const row of table) {
		const w = want.rows.get(row.code)!;
		expect(Number(row.n), row.code).toBe(w.n);
		expect(Number(row.rate), row.code).toBeCloseTo((w.n / w.exposure) * 1e5, 6);
	}
	// The Embed button on the full view offers it.
	await page.goto('/allegations/');
	await expect(page.locator(`[data-chart="${CHART}"] [data-embed-button]`)).toBeVisible();
});

test('line charts\' tooltips give each rate and share its 95% interval (by keyboard)', async ({ page }) => {
	const en2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
	const en0 = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });

	// Allegations per 100,000 residents in Almaty: each year's exact Poisson interval, checked by its
	// defining tail probabilities against the tooltip's (rounded) limits.
	await page.goto('/allegations/?measure=per_residents&region=KZ-75&v=1');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	const over = page.locator('[data-chart="allegations-over-time"]');
	await expect(over).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
	const rows = await readChartTable(page, 'allegations-over-time');
	await over.locator('.plot').focus();
	await page.keyboard.press('End');
	const last = rows[rows.length - 1];
	const tip = over.locator('.tooltip');
	await expect(tip).toContainText(last.period);
	const m = /95% confidence interval ([\d.,]+)–([\d.,]+)/.exec((await tip.textContent()) ?? '');
	expect(m, 'the tooltip names the interval').not.toBeNull();
	const [low, high] = [Number(m![1]), Number(m![2])];
	const n = Number(last.count);
	const exposure = Number(last.denominator);
	// P(X >= n) at the lower limit and P(X <= n) at the upper are 2.5% (within the rounding to 0.01).
	const tail = async (k: number, rate: number) => poissonCdf(k, (rate * exposure) / 1e5);
	expect(1 - (await tail(n - 1, low - 0.005))).toBeLessThan(0.025);
	expect(1 - (await tail(n - 1, low + 0.005))).toBeGreaterThan(0.025);
	expect(await tail(n, high - 0.005)).toBeGreaterThan(0.025);
	expect(await tail(n, high + 0.005)).toBeLessThan(0.025);
	expect(en2.format(low)).toBe(m![1]);

	// Recommendations implemented, by year of issue: Wilson intervals from the table's counts.
	await page.goto('/recommendations/');
	const byYear = page.locator('[data-chart="recommendations-implementation-by-year"]');
	const years = await readChartTable(page, 'recommendations-implementation-by-year');
	await byYear.locator('.plot').focus();
	await page.keyboard.press('Home');
	const z = 1.959963984540054;
	const wilson = (k: number, total: number) => {
		const p = k / total;
		const c = (p + (z * z) / (2 * total)) / (1 + (z * z) / total);
		const h = (z / (1 + (z * z) / total)) * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total));
		return [k === 0 ? 0 : c - h, k === total ? 1 : c + h];
	};
	const [wl, wh] = wilson(Number(years[0].implemented), Number(years[0].issued));
	await expect(byYear.locator('.tooltip')).toContainText(`95% confidence interval ${en0.format(wl)}–${en0.format(wh)}`);
	const [pl, ph] = wilson(Number(years[0].implemented) + Number(years[0].partially), Number(years[0].issued));
	await expect(byYear.locator('.tooltip')).toContainText(`95% confidence interval ${en0.format(pl)}–${en0.format(ph)}`);
});
