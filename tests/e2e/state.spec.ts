import { test, expect } from './fixtures';
import { independentQuery, readChartTable } from './helpers';

async function nationalByYear(page: import('@playwright/test').Page) {
	const rows = await readChartTable(page, 'allegations-by-year');
	return rows.map((r) => [Number(r.year), Number(r.national)]);
}

async function expectedByYear(where: string, from: number, to: number) {
	const rows = await independentQuery<{ year: number; n: number }>(
		`SELECT report_year::INTEGER AS year, count(*)::INTEGER AS n FROM allegations WHERE report_year BETWEEN ${from} AND ${to}${where} GROUP BY 1 ORDER BY 1`
	);
	const byYear = new Map(rows.map((r) => [r.year, r.n]));
	return Array.from({ length: to - from + 1 }, (_, i) => [from + i, byYear.get(from + i) ?? 0]);
}

async function span() {
	const [s] = await independentQuery<{ first: number; last: number }>('SELECT min(report_year)::INTEGER AS first, max(report_year)::INTEGER AS last FROM allegations');
	return s;
}

const hostile = [
	["region=KZ-75'%20OR%201=1%20--", 'region'],
	['ftype=sizo;DROP%20TABLE%20allegations', 'ftype'],
	['from=2016%27%22', 'from'],
	['measure=%3Cscript%3Ealert(1)%3C/script%3E', 'measure'],
	['region=' + 'A'.repeat(5000), 'region'],
	['unknown=1', 'unknown'],
	['v=42', 'v']
];

for (const [query, param] of hostile) {
	test(`a hostile or invalid parameter (${query.slice(0, 30)}) gives the default view and a notice`, async ({ page }) => {
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto('/?' + query);
		await expect(page.locator('[data-notices]')).toBeVisible();
		await expect(page.locator('[data-notices]')).toContainText(param.slice(0, 20));
		await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
		const s = await span();
		expect(await nationalByYear(page)).toEqual(await expectedByYear('', s.first, s.last));
		expect(errors).toEqual([]);
	});
}

test('filters live in the URL; back and forward restore the view', async ({ page }) => {
	await page.goto('/');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	await page.locator('[data-filter="from"]').selectOption('2018');
	await expect(page).toHaveURL(/from=2018/);
	await page.locator('[data-filter="ftype"] summary').click();
	await page.locator('[data-filter="ftype"] input[value="ivs"]').check();
	await expect(page).toHaveURL(/ftype=ivs/);
	const s = await span();
	await expect.poll(() => nationalByYear(page)).toEqual(await expectedByYear(" AND facility_type = 'ivs'", 2018, s.last));

	await page.goBack();
	await expect(page).not.toHaveURL(/ftype=/);
	await expect.poll(() => nationalByYear(page)).toEqual(await expectedByYear('', 2018, s.last));
	await page.goBack();
	await expect(page).not.toHaveURL(/from=/);
	await expect.poll(() => nationalByYear(page)).toEqual(await expectedByYear('', s.first, s.last));
	await page.goForward();
	await expect(page).toHaveURL(/from=2018/);
	await expect.poll(() => nationalByYear(page)).toEqual(await expectedByYear('', 2018, s.last));
});

test('a shared link opens the same view', async ({ page, context }) => {
	await page.goto('/?from=2019&ftype=sizo,ivs&v=1');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	const first = await nationalByYear(page);
	const other = await context.newPage();
	await other.goto(page.url());
	await expect(other.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	expect(await nationalByYear(other)).toEqual(first);
	const s = await span();
	expect(first).toEqual(await expectedByYear(" AND facility_type IN ('sizo','ivs')", 2019, s.last));
});

test('200 rapid random filter changes end on the view of the final state', async ({ page }) => {
	test.setTimeout(180_000);
	await page.goto('/');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
	const s = await span();
	const ftypes = ['penal_colony', 'sizo', 'ivs', 'special_reception', 'psychiatric', 'social_care'];
	await page.locator('[data-filter="ftype"] summary').click();
	// Seeded, so a failure can be replayed. No waiting between changes: each supersedes the last.
	let seed = 20140401;
	const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	for (let i = 0; i < 200; i++) {
		const r = rnd();
		if (r < 0.35) await page.locator('[data-filter="from"]').selectOption(String(s.first + Math.floor(rnd() * (s.last - s.first + 1))), { timeout: 5000 });
		else if (r < 0.6) await page.locator('[data-filter="to"]').selectOption(String(s.first + Math.floor(rnd() * (s.last - s.first + 1))), { timeout: 5000 });
		else await page.locator(`[data-filter="ftype"] input[value="${ftypes[Math.floor(rnd() * ftypes.length)]}"]`).click({ timeout: 5000 });
	}
	// Let the last navigation land, then compare the chart with a direct query for the URL's state.
	await page.waitForLoadState('networkidle');
	await expect(page.locator('[data-chart="allegations-by-year"]')).not.toHaveAttribute('aria-busy', 'true', { timeout: 30_000 });
	const final = new URL(page.url()).searchParams;
	let from = Number(final.get('from') ?? s.first);
	let to = Number(final.get('to') ?? s.last);
	if (from > to) [from, to] = [s.first, s.last]; // an inverted range is ignored, with a notice
	const ft = final.get('ftype')?.split(',') ?? [];
	const expected = await expectedByYear(ft.length ? ` AND facility_type IN (${ft.map((f) => `'${f}'`).join(',')})` : '', from, to);
	await expect.poll(() => nationalByYear(page), { timeout: 30_000 }).toEqual(expected);
	// The right answer has appeared; an answer to an older state arriving later must not replace
	// it. Keep watching: until every query the page started has settled, then a few frames more.
	const counts = () => page.evaluate(() => ({ ...(window as unknown as { __kzQueries: { started: number; settled: number } }).__kzQueries }));
	await expect.poll(async () => ((q) => q.started > 0 && q.settled === q.started)(await counts()), { timeout: 60_000 }).toBe(true);
	const settled = await counts();
	await page.evaluate(
		(n) =>
			new Promise<void>((resolve) => {
				const frame = () => (--n <= 0 ? resolve() : requestAnimationFrame(frame));
				requestAnimationFrame(frame);
			}),
		10
	);
	expect(await counts()).toEqual(settled);
	expect(new URL(page.url()).searchParams.toString()).toBe(final.toString());
	expect(await nationalByYear(page)).toEqual(expected);
});

/**
 * Parameter names every plain object inherits, each alone in the URL, on every page type. The page
 * must name the parameter in its notice (it is unknown) and still follow the filters afterwards:
 * a number on the page changes to the value an independent query gives.
 */
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

async function allegationsOverTime(page: import('@playwright/test').Page) {
	const rows = await readChartTable(page, 'allegations-over-time');
	return rows.map((r) => [Number(r.period), Number(r.count)]);
}

async function mapCounts(page: import('@playwright/test').Page) {
	const rows = await readChartTable(page, 'region-map');
	return Object.fromEntries(rows.map((r) => [r.code, Number(r.n)]));
}

const PAGE_TYPES: { type: string; path: string; change: (page: import('@playwright/test').Page, i: number) => Promise<void> }[] = [
	{ type: 'overview', path: '/', change: (page, i) => fromYearChanges(page, i, nationalByYear) },
	{ type: 'theme page', path: '/allegations/', change: (page, i) => fromYearChanges(page, i, allegationsOverTime) },
	{ type: 'region page', path: '/regions/KZ-75/', change: (page, i) => fromYearChanges(page, i, nationalByYear) },
	{ type: 'dashboard embed', path: '/embed/dashboard/overview/', change: (page, i) => fromYearChanges(page, i, nationalByYear) },
	{
		type: 'chart embed',
		path: '/embed/region-map/',
		change: async (page) => {
			// The map's own control: colour by recommendations; its table then counts recommendations.
			await page.locator('[data-chart="region-map"] [data-filter="map"]').selectOption('recommendations');
			const rows = await independentQuery<{ code: string; n: number }>(
				'SELECT region_code AS code, count(*)::INTEGER AS n FROM recommendations WHERE region_code IS NOT NULL GROUP BY 1'
			);
			const counts = await independentQuery<{ code: string }>('SELECT region_code AS code FROM regions');
			const expected = Object.fromEntries(counts.map((r) => [r.code, rows.find((x) => x.code === r.code)?.n ?? 0]));
			await expect.poll(() => mapCounts(page), { timeout: 90_000 }).toEqual(expected);
		}
	}
];

/** Sets the first year (a different one for each name) and waits for the chart to show that range. */
async function fromYearChanges(page: import('@playwright/test').Page, i: number, read: (page: import('@playwright/test').Page) => Promise<number[][]>) {
	const s = await span();
	const from = s.first + 1 + (i % 4);
	await page.locator('[data-filter="from"]').selectOption(String(from));
	await expect(page).toHaveURL(new RegExp(`from=${from}`));
	const expected = await expectedByYear('', from, s.last);
	expect(expected.some(([, n]) => n > 0)).toBe(true);
	await expect.poll(() => read(page), { timeout: 90_000 }).toEqual(expected);
}

for (const { type, path, change } of PAGE_TYPES) {
	test(`Object.prototype names as parameters on the ${type} (${path}): a notice, and filters still apply`, async ({ page }) => {
		test.setTimeout(600_000);
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		for (const [i, name] of PROTO_NAMES.entries()) {
			await page.goto(`${path}?${name}=x`);
			const notices = page.locator('[data-notices]');
			await expect(notices, name).toBeVisible();
			await expect(notices, name).toContainText(name);
			await change(page, i);
			expect(errors, name).toEqual([]);
		}
	});
}
