/**
 * The recommendations page in Chromium: every chart's data table equals an independent answer
 * (DuckDB 1.5 over the served Parquet, the Kaplan-Meier estimate done in SQL with window
 * functions, not by kaplan-meier.ts), for the default URL and several filter URLs; keyboard
 * tooltips; the km switch; axe-core in light and dark, English and Kazakh.
 */
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axeSchemes, expectNoAxeViolations, expectOwnOriginAndFits360, independentQuery, recordRequests, openTablesForAxe, readChartTable } from './helpers';

const codes = JSON.parse(readFileSync('data/codes.json', 'utf8')) as Record<string, Record<string, { en: string }>>;
const regionNames = new Map(
	readFileSync('data/regions.csv', 'utf8')
		.trim()
		.split(/\r?\n/)
		.slice(1)
		.map((l) => l.split(',').slice(0, 2) as [string, string])
);
const enLabel = (domain: string, code: string) => codes[domain][code].en;
const STATUSES = ['not_started', 'in_progress', 'partially_implemented', 'implemented', 'rejected', 'no_information'];

interface Case {
	name: string;
	search: string;
	/** The same filters as SQL over `recommendations` (fixed test text, no user input). */
	where: string;
	/** Without the priority filter (the oldest-open chart ignores it). */
	whereNoPrio?: string;
	km: 'addressee' | 'priority';
}

const CASES: Case[] = [
	{ name: 'default', search: '', where: 'TRUE', km: 'addressee' },
	{ name: 'years 2017-2020', search: '?from=2017&to=2020&v=1', where: 'year(issued_month) BETWEEN 2017 AND 2020', km: 'addressee' },
	{ name: 'two cities, by priority', search: '?km=priority&region=KZ-71,KZ-75&v=1', where: "region_code IN ('KZ-71', 'KZ-75')", km: 'priority' },
	{
		name: 'addressees and themes',
		search: '?addr=health,mia_penal&theme=sanitation,torture_prevention&v=1',
		where: "addressee IN ('health', 'mia_penal') AND theme IN ('sanitation', 'torture_prevention')",
		km: 'addressee'
	},
	{
		name: 'priorities, statuses and facility types',
		search: '?ftype=ivs,sizo&km=priority&prio=low,medium&status=implemented,no_information,rejected&v=1',
		where: "facility_type IN ('ivs', 'sizo') AND priority IN ('low', 'medium') AND status IN ('implemented', 'no_information', 'rejected')",
		whereNoPrio: "facility_type IN ('ivs', 'sizo') AND status IN ('implemented', 'no_information', 'rejected')",
		km: 'priority'
	}
];

// Months between two 1st-of-month dates; the cut-off is the last status month of all data.
const months = (a: string, b: string) => `((year(${b}) * 12 + month(${b})) - (year(${a}) * 12 + month(${a})))`;
const CUT = `(SELECT max(status_month) AS cut FROM recommendations) c`;

async function expectStatus(page: Page, by: 'region' | 'addressee', where: string) {
	const col = by === 'region' ? 'region_code' : 'addressee';
	const expected = await independentQuery<Record<string, unknown>>(
		`SELECT ${col} AS code, count(*)::INTEGER AS total, ${STATUSES.map((s) => `count(*) FILTER (WHERE status = '${s}')::INTEGER AS ${s}`).join(', ')}
		FROM recommendations WHERE ${where} GROUP BY 1`
	);
	const rows = await readChartTable(page, `recommendations-status-by-${by}`);
	const name = (code: string) => (by === 'region' ? regionNames.get(code)! : enLabel('authority', code));
	expect(rows.length).toBe(expected.length);
	for (const e of expected) {
		const row = rows.find((r) => r.group === name(e.code as string));
		expect(row, `${by} ${e.code}`).toBeTruthy();
		expect(Number(row!.total)).toBe(e.total);
		for (const s of STATUSES) expect(Number(row![s]), `${e.code} ${s}`).toBe(e[s]);
	}
	// Sorted by share implemented, highest first.
	const shares = rows.map((r) => Number(r.share_implemented));
	expect(shares).toEqual([...shares].sort((a, b) => b - a));
}

async function expectByYear(page: Page, where: string) {
	const expected = await independentQuery<{ year: number; issued: number; implemented: number; partially: number }>(
		`SELECT year(issued_month)::INTEGER AS year, count(*)::INTEGER AS issued,
			count(*) FILTER (WHERE status = 'implemented')::INTEGER AS implemented,
			count(*) FILTER (WHERE status = 'partially_implemented')::INTEGER AS partially
		FROM recommendations WHERE ${where} GROUP BY 1 ORDER BY 1`
	);
	const rows = await readChartTable(page, 'recommendations-implementation-by-year');
	expect(rows.map((r) => [Number(r.year), Number(r.issued), Number(r.implemented), Number(r.partially)])).toEqual(
		expected.map((e) => [e.year, e.issued, e.implemented, e.partially])
	);
	rows.forEach((r, i) => {
		expect(Number(r.share_implemented)).toBeCloseTo(expected[i].implemented / expected[i].issued, 3);
		expect(Number(r.share_implemented_or_partially)).toBeCloseTo((expected[i].implemented + expected[i].partially) / expected[i].issued, 3);
	});
}

async function expectSurvival(page: Page, where: string, km: 'addressee' | 'priority') {
	// Lower-case `from` for CTE names: the helper rewrites every "FROM <table>" to read_parquet.
	const expected = await independentQuery<Record<string, number | string | null>>(
		`WITH base AS (
			SELECT ${km} AS grp, ${months('issued_month', 'coalesce(implemented_month, c.cut)')} AS t, implemented_month IS NOT NULL AS e
			FROM recommendations, ${CUT} WHERE ${where}),
		grid AS (SELECT grp, t, count(*) FILTER (WHERE e) AS d, count(*) AS c from base GROUP BY 1, 2),
		risk AS (SELECT grp, t, d, sum(c) OVER (PARTITION BY grp ORDER BY t DESC) AS n from grid),
		km AS (SELECT grp, t, exp(sum(ln(greatest(1 - d / n, 1e-300))) OVER (PARTITION BY grp ORDER BY t)) AS s from risk WHERE d > 0),
		q AS (SELECT grp, min(t) FILTER (WHERE s <= 0.75 + 1e-9) AS q25, min(t) FILTER (WHERE s <= 0.5 + 1e-9) AS q50,
			min(t) FILTER (WHERE s <= 0.25 + 1e-9) AS q75 from km GROUP BY 1)
		SELECT b.grp, count(*)::INTEGER AS n, count(*) FILTER (WHERE e)::INTEGER AS events,
			${[0, 12, 24, 36].map((m) => `count(*) FILTER (WHERE t >= ${m})::INTEGER AS at_risk_${m}`).join(', ')},
			any_value(q.q25)::INTEGER AS q25, any_value(q.q50)::INTEGER AS q50, any_value(q.q75)::INTEGER AS q75
		from base b LEFT JOIN q ON q.grp = b.grp GROUP BY 1`
	);
	const rows = await readChartTable(page, 'recommendations-survival');
	expect(rows.length).toBe(expected.length);
	for (const e of expected) {
		const row = rows.find((r) => r.group === enLabel(km === 'addressee' ? 'authority' : 'priority', e.grp as string));
		expect(row, `${km} ${e.grp}`).toBeTruthy();
		for (const k of ['n', 'events', 'at_risk_0', 'at_risk_12', 'at_risk_24', 'at_risk_36']) expect(Number(row![k]), `${e.grp} ${k}`).toBe(e[k]);
		expect(Number(row!.censored)).toBe((e.n as number) - (e.events as number));
		for (const k of ['q25', 'q50', 'q75']) expect(row![k], `${e.grp} ${k}`).toBe(e[k] == null ? '' : String(e[k]));
	}
}

async function expectOldest(page: Page, where: string) {
	const expected = await independentQuery<{ theme: string; open: number; oldest: number; median: number }>(
		`SELECT theme, count(*)::INTEGER AS open, max(age)::INTEGER AS oldest, quantile_cont(age, 0.5)::DOUBLE AS median FROM (
			SELECT theme, ${months('issued_month', 'c.cut')} AS age FROM recommendations, ${CUT}
			WHERE ${where} AND priority = 'high' AND status NOT IN ('implemented', 'rejected'))
		GROUP BY 1 ORDER BY median DESC, oldest DESC, theme`
	);
	const rows = await readChartTable(page, 'recommendations-oldest-open');
	expect(rows.map((r) => [r.theme, Number(r.open), Number(r.oldest_months), Number(r.median_months)])).toEqual(
		expected.map((e) => [enLabel('theme', e.theme), e.open, e.oldest, e.median])
	);
}

for (const c of CASES) {
	test(`every chart's table equals an independent query: ${c.name}`, async ({ page }) => {
		await page.goto('/recommendations/' + c.search);
		await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
		await expect(page.locator('[data-chart^="recommendations-"][data-status="ready"]')).toHaveCount(5);
		await expectStatus(page, 'region', c.where);
		await expectStatus(page, 'addressee', c.where);
		await expectByYear(page, c.where);
		await expectSurvival(page, c.where, c.km);
		await expectOldest(page, c.whereNoPrio ?? c.where);
		await expect(page.locator('[data-chart="recommendations-survival"] [data-chart-summary]')).not.toBeEmpty();
	});
}

test('an empty selection hides the status bars; leaving it moves the same bars to the right answer', async ({ page }) => {
	// No recommendation from a temporary detention facility is addressed to the labour ministry.
	await page.goto('/recommendations/?addr=labour_social&v=1');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	const chart = page.locator('[data-chart="recommendations-status-by-region"]');
	await expect(chart).toHaveAttribute('data-status', 'ready');
	await expect(chart).toHaveAttribute('aria-busy', 'false');
	// A region's bar is marked, to tell whether it is kept (and moved) or built again.
	const bar = chart.locator('g.row[data-row="KZ-75"]');
	await bar.evaluate((el) => ((el as unknown as { kzMark: boolean }).kzMark = true));
	const checkbox = page.locator('details[data-filter="ftype"] input[value="ivs"]');
	await page.locator('details[data-filter="ftype"] > summary').click();
	await checkbox.check();
	await expect(chart).toHaveAttribute('data-status', 'empty');
	await expect(chart.locator('rect[data-category]').first()).toBeHidden();
	await checkbox.uncheck();
	await expect(chart).toHaveAttribute('data-status', 'ready');
	await expect(chart.locator('rect[data-category]').first()).toBeVisible();
	expect(await bar.evaluate((el) => (el as unknown as { kzMark?: boolean }).kzMark === true)).toBe(true);
	await expect(chart).toHaveAttribute('aria-busy', 'false');
	await expectStatus(page, 'region', "addressee = 'labour_social'");
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('the default view is in the built HTML', async ({ page }) => {
		await page.goto('/recommendations/');
		for (const id of ['status-by-region', 'status-by-addressee', 'implementation-by-year', 'survival', 'oldest-open']) {
			await expect(page.locator(`[data-chart="recommendations-${id}"] svg`).first()).toBeVisible();
		}
		await expect(page.locator('[data-chart="recommendations-survival"] path.curve')).toHaveCount(7);
		await expect(page.locator('[data-chart="recommendations-status-by-region"] rect[data-category]')).not.toHaveCount(0);
		await expectStatus(page, 'addressee', 'TRUE');
		await expectOldest(page, 'TRUE');
	});
});

test('the km select regroups the survival curves through the URL', async ({ page }) => {
	await page.goto('/recommendations/');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	await page.locator('[data-chart="recommendations-survival"] select[data-filter="km"]').selectOption('priority');
	await expect(page).toHaveURL(/km=priority/);
	await expect(page.locator('[data-chart="recommendations-survival"] path.curve')).toHaveCount(3);
	await expectSurvival(page, 'TRUE', 'priority');
	await page.goBack();
	await expect(page.locator('[data-chart="recommendations-survival"] path.curve')).toHaveCount(7);
});

test('tooltips work by keyboard', async ({ page }) => {
	await page.goto('/recommendations/');
	// Stacked bars: Down to the first bar, Right along its segments.
	const bars = page.locator('[data-chart="recommendations-status-by-addressee"]');
	const first = (await readChartTable(page, 'recommendations-status-by-addressee'))[0];
	await bars.locator('.plot').focus();
	await page.keyboard.press('ArrowDown');
	const tip = bars.locator('.tooltip');
	await expect(tip).toContainText(first.group);
	await expect(tip).toContainText(`${enLabel('status', 'not_started')} (C): ${Number(first.not_started).toLocaleString('en')}`);
	await page.keyboard.press('ArrowRight');
	await expect(tip).toContainText(`${enLabel('status', 'in_progress')} (B/C): ${Number(first.in_progress).toLocaleString('en')}`);
	await page.keyboard.press('End');
	await expect(tip).toContainText(`${enLabel('status', 'no_information')} (D)`);
	await page.keyboard.press('Escape');
	await expect(tip).toHaveCount(0);

	// Survival: Home = month 0 (everything still open), Shift+Right = a year later.
	const surv = page.locator('[data-chart="recommendations-survival"]');
	await surv.locator('.plot').focus();
	await page.keyboard.press('Home');
	await expect(surv.locator('.tooltip')).toContainText('Month 0');
	await expect(surv.locator('.tooltip')).toContainText(`${enLabel('authority', 'mia_penal')}: 100%`);
	await page.keyboard.press('Shift+ArrowRight');
	await expect(surv.locator('.tooltip')).toContainText('Month 12');

	// Oldest open: Down to the first theme.
	const oldest = page.locator('[data-chart="recommendations-oldest-open"]');
	const theme = (await readChartTable(page, 'recommendations-oldest-open'))[0];
	await oldest.locator('.plot').focus();
	await page.keyboard.press('ArrowDown');
	await expect(oldest.locator('.tooltip')).toContainText(theme.theme);

	// Rate by year (LineChart).
	const rate = page.locator('[data-chart="recommendations-implementation-by-year"]');
	await rate.locator('.plot').focus();
	await page.keyboard.press('Home');
	await expect(rate.locator('.tooltip')).toContainText('2014');
});

test('usable at 360 px: no horizontal scrolling', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 800 });
	await page.goto('/recommendations/');
	await expect(page.locator('[data-chart="recommendations-survival"] svg')).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

for (const locale of ['', 'ru/', 'kk/']) {
	test(`axe-core finds no violations on /${locale}recommendations/ (${axeSchemes(locale).join(' and ')}), no request leaves the origin, fits 360 px`, async ({ page, baseURL }) => {
		test.setTimeout(180_000); // a long page with five tables on a shared 2-core machine
		const requests = recordRequests(page, baseURL!);
		await page.goto(`/${locale}recommendations/`);
		await expect(page.locator('html')).toHaveAttribute('lang', locale ? locale.slice(0, 2) : 'en');
		await openTablesForAxe(page, locale);
		await expectNoAxeViolations(page, axeSchemes(locale));
		await expectOwnOriginAndFits360(page, requests);
	});
}
