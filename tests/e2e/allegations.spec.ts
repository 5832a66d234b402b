import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { axeSchemes, expectNoAxeViolations, expectOwnOriginAndFits360, independentQuery, openTablesForAxe, readChartTable, recordRequests } from './helpers';

/**
 * The Allegations page in Chromium: for the default URL and several filter URLs, every chart's data
 * table equals an independent query (DuckDB 1.5 over build/data), written here from the filters.
 */
interface Case {
	name: string;
	search: string;
	from?: number;
	to?: number;
	region?: string[];
	ftype?: string[];
	atype?: string[];
	perp?: string[];
	channel?: string[];
	measure?: 'count' | 'per_detainees' | 'per_residents';
	period?: 'year' | 'quarter';
}

const CASES: Case[] = [
	{ name: 'default', search: '' },
	{ name: 'two regions, 2018-2024, per 1,000 detainees', search: '?from=2018&to=2024&region=KZ-10,KZ-75&measure=per_detainees&v=1', from: 2018, to: 2024, region: ['KZ-10', 'KZ-75'], measure: 'per_detainees' },
	{ name: 'torture and CIDT by quarter', search: '?atype=cidt,torture&period=quarter&v=1', atype: ['torture', 'cidt'], period: 'quarter' },
	{
		name: 'police, two channels, per 100,000 residents by quarter',
		search: '?perp=police&channel=ngo_hotline,npm_visit&ftype=ivs&measure=per_residents&period=quarter&from=2020&v=1',
		perp: ['police'],
		channel: ['npm_visit', 'ngo_hotline'],
		ftype: ['ivs'],
		measure: 'per_residents',
		period: 'quarter',
		from: 2020
	}
];

const list = (col: string, values?: string[]) => (values?.length ? [`${col} IN (${values.map((v) => `'${v}'`).join(', ')})`] : []);

function where(c: Case, extra: string[] = []): string {
	const conds = [
		...extra,
		...(c.from != null ? [`report_year >= ${c.from}`] : []),
		...(c.to != null ? [`report_year <= ${c.to}`] : []),
		...list('region_code', c.region),
		...list('facility_type', c.ftype),
		...list('allegation_type', c.atype),
		...list('perpetrator', c.perp),
		...list('channel', c.channel)
	];
	return conds.length ? ' WHERE ' + conds.join(' AND ') : '';
}

async function yearSpan(c: Case) {
	const [r] = await independentQuery<{ first: number; last: number }>('SELECT min(report_year)::INTEGER AS first, max(report_year)::INTEGER AS last FROM allegations');
	return { from: c.from ?? r.first, to: c.to ?? r.last };
}

async function openCase(page: Page, c: Case, prefix = '') {
	await page.goto(`/${prefix}allegations/${c.search}`);
	if (c.search) await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	await expect(page.locator('[data-chart="allegations-over-time"]')).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
	await expect(page.locator('[data-chart="allegations-over-time"]')).toHaveAttribute('data-status', 'ready');
}

for (const c of CASES) {
	test(`tables equal independent queries: ${c.name}`, async ({ page }) => {
		await openCase(page, c);
		const { from, to } = await yearSpan(c);

		// 1. Over time. A quarterly request is drawn by quarter only when every year shown has a known
		// quarter for at least 80% of its allegations (QUARTER_MIN_SHARE); otherwise the chart shows
		// every allegation per year and says why in its title area.
		const coverage = await independentQuery<{ year: number; total: number; known: number }>(
			`SELECT report_year::INTEGER AS year, count(*)::INTEGER AS total, count(report_quarter)::INTEGER AS known FROM allegations${where(c, ['report_year IS NOT NULL', `report_year BETWEEN ${from} AND ${to}`])} GROUP BY 1`
		);
		const declined = c.period === 'quarter' && coverage.some((r) => r.total > 0 && r.known / r.total < 0.8);
		const quarterly = c.period === 'quarter' && !declined;
		const counts = await independentQuery<{ year: number; quarter: number; n: number }>(
			`SELECT report_year::INTEGER AS year, ${quarterly ? 'report_quarter' : '0'}::INTEGER AS quarter, count(*)::INTEGER AS n FROM allegations${where(c, ['report_year IS NOT NULL', ...(quarterly ? ['report_quarter IS NOT NULL'] : [])])} GROUP BY 1, 2`
		);
		const measure = c.measure ?? 'count';
		const denomCol = measure === 'per_residents' ? 'residents' : 'detainees';
		const denoms = await independentQuery<{ year: number; d: number; k: number }>(
			`SELECT year::INTEGER AS year, sum(${denomCol})::DOUBLE AS d, count(*)::INTEGER AS k FROM region_year${c.region?.length ? ` WHERE region_code IN (${c.region.map((r) => `'${r}'`).join(', ')})` : ''} GROUP BY 1`
		);
		const base = measure === 'per_residents' ? 100_000 : 1_000;
		const expectedTime: { period: string; count: number; rate: number | null }[] = [];
		for (let y = from; y <= to; y++) {
			for (const q of quarterly ? [1, 2, 3, 4] : [0]) {
				const n = counts.find((r) => r.year === y && r.quarter === q)?.n ?? 0;
				const d = denoms.find((r) => r.year === y && (!c.region?.length || r.k === c.region.length))?.d;
				expectedTime.push({ period: quarterly ? `${y}-Q${q}` : String(y), count: n, rate: d ? (n / d) * base : null });
			}
		}
		const time = await readChartTable(page, 'allegations-over-time');
		expect(time.map((r) => [r.period, Number(r.count)])).toEqual(expectedTime.map((e) => [e.period, e.count]));
		if (measure !== 'count') {
			time.forEach((r, i) => {
				const e = expectedTime[i].rate;
				if (e == null) expect(r.rate).toBe('');
				else expect(Number(r.rate)).toBeCloseTo(e, 2);
			});
		}
		if (declined) {
			await expect(page.locator('[data-chart="allegations-over-time"] .definition')).toContainText('Quarterly view not shown');
			await expect(page.locator('[data-chart="allegations-over-time"] [data-chart-summary]')).toContainText('Shown per year');
			for (const r of time) {
				const cov = coverage.find((x) => x.year === Number(r.period));
				if (cov) expect(Number(r.quarter_known)).toBeCloseTo(cov.known / cov.total, 4);
			}
		}
		if (quarterly) {
			const [w] = await independentQuery<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM allegations${where(c, ['report_year IS NOT NULL', 'report_quarter IS NULL', `report_year BETWEEN ${from} AND ${to}`])}`);
			if (w.n > 0) await expect(page.locator('[data-chart="allegations-over-time"] .note')).toContainText(new Intl.NumberFormat('en').format(w.n));
		}

		// 2. By type: one column per type, one row per year.
		const types = await independentQuery<{ year: number; t: string; n: number }>(
			`SELECT report_year::INTEGER AS year, allegation_type AS t, count(*)::INTEGER AS n FROM allegations${where(c, ['report_year IS NOT NULL'])} GROUP BY 1, 2`
		);
		const byType = await readChartTable(page, 'allegations-by-type');
		expect(byType.map((r) => Number(r.year))).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
		for (const row of byType) {
			for (const [key, value] of Object.entries(row)) {
				if (key === 'year') continue;
				expect(Number(value), `${key} ${row.year}`).toBe(types.find((t) => t.year === Number(row.year) && t.t === key)?.n ?? 0);
			}
		}
		expect(new Set(Object.keys(byType[0]).filter((k) => k !== 'year'))).toEqual(new Set(types.map((t) => t.t)));

		// 3-4. Perpetrator and channel.
		for (const [id, col] of [
			['allegations-by-perpetrator', 'perpetrator'],
			['allegations-by-channel', 'channel']
		] as const) {
			const expected = await independentQuery<{ code: string; n: number }>(`SELECT ${col} AS code, count(*)::INTEGER AS n FROM allegations${where(c)} GROUP BY 1`);
			const rows = await readChartTable(page, id);
			expect(new Map(rows.map((r) => [r.code, Number(r.n)]))).toEqual(new Map(expected.map((e) => [e.code ?? '', e.n])));
			const ns = rows.map((r) => Number(r.n));
			expect([...ns].sort((a, b) => b - a)).toEqual(ns);
		}

		// 5. Outcomes funnel.
		const [f] = await independentQuery<Record<string, number>>(
			`SELECT count(*)::INTEGER AS registered,
				count(*) FILTER (WHERE outcome IN ('under_investigation','closed_no_crime','sent_to_court','conviction','acquittal'))::INTEGER AS under_investigation,
				count(*) FILTER (WHERE outcome IN ('sent_to_court','conviction','acquittal'))::INTEGER AS sent_to_court,
				count(*) FILTER (WHERE outcome = 'conviction')::INTEGER AS conviction
			FROM allegations${where(c)}`
		);
		const funnel = await readChartTable(page, 'allegations-outcomes');
		expect(funnel.map((r) => [r.code, Number(r.n)])).toEqual(['registered', 'under_investigation', 'sent_to_court', 'conviction'].map((s) => [s, f[s]]));
	});
}

test('no request leaves the site origin, and Kazakh key dates are numeric', async ({ page, baseURL }) => {
	const requests = recordRequests(page, baseURL!);
	await page.goto('/kk/allegations/?perp=police&v=1');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	expect(requests.urls.some((u) => u.endsWith('.arrow'))).toBe(true);
	expect(requests.foreign()).toEqual([]);
	await expect(page.locator('[data-chart="allegations-over-time"] .annotation-list')).toContainText('04.2014');
});

test('a region created in 2022 gets a note, not a false zero', async ({ page }) => {
	await page.goto('/allegations/?region=KZ-62&v=1');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	await expect(page.locator('[data-chart="allegations-over-time"] .note')).toContainText('Ulytau');
});

test('the charts work by keyboard: tooltips follow the arrow keys', async ({ page }) => {
	await page.goto('/allegations/');
	const line = page.locator('[data-chart="allegations-over-time"] .plot');
	await line.focus();
	await page.keyboard.press('Home');
	const rows = await readChartTable(page, 'allegations-over-time');
	const tip = page.locator('[data-chart="allegations-over-time"] .tooltip');
	await expect(tip).toContainText(rows[0].period);
	await page.keyboard.press('ArrowRight');
	await expect(tip).toContainText(rows[1].period);
	// Key dates are numbered markers; the one in 2022 (January unrest) is read in the 2022 tooltip.
	await page.keyboard.press('End');
	for (let i = 0; i < rows.length && !rows[rows.length - 1 - i].period.startsWith('2022'); i++) await page.keyboard.press('ArrowLeft');
	await expect(tip).toContainText('January unrest');

	for (const id of ['allegations-by-perpetrator', 'allegations-by-channel', 'allegations-outcomes']) {
		const plot = page.locator(`[data-chart="${id}"] .plot`);
		await plot.focus();
		await page.keyboard.press('ArrowDown');
		const table = await readChartTable(page, id);
		await expect(page.locator(`[data-chart="${id}"] .tooltip`)).toBeVisible();
		await expect(page.locator(`[data-chart="${id}"] .tooltip`)).toContainText(new Intl.NumberFormat('en').format(Number(table[0].n)));
	}
});

test('key-date markers do not overlap', async ({ page }) => {
	await page.goto('/allegations/?from=2008&v=1');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	const circles = page.locator('[data-chart="allegations-over-time"] .annotation circle');
	await expect(circles).toHaveCount(9);
	const boxes = await circles.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
	for (let i = 0; i < boxes.length; i++)
		for (let j = i + 1; j < boxes.length; j++) {
			const a = boxes[i];
			const b = boxes[j];
			const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
			expect(overlap, `markers ${i + 1} and ${j + 1}`).toBe(false);
		}
	await expect(page.locator('[data-chart="allegations-over-time"] .annotation-list li')).toHaveCount(9);
});

for (const locale of ['', 'ru/', 'kk/']) {
	test(`axe-core finds no violations on /${locale}allegations/ (${axeSchemes(locale).join(' and ')}), no request leaves the origin, fits 360 px`, async ({ page, baseURL }) => {
		test.setTimeout(180_000);
		const requests = recordRequests(page, baseURL!);
		await page.goto(`/${locale}allegations/`);
		await expect(page.locator('html')).toHaveAttribute('lang', locale ? locale.slice(0, 2) : 'en');
		await openTablesForAxe(page, locale);
		await page.locator('[data-chart="allegations-by-perpetrator"] .plot').focus();
		await page.keyboard.press('ArrowDown');
		await expectNoAxeViolations(page, axeSchemes(locale));
		await expectOwnOriginAndFits360(page, requests);
	});
}
