import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

/** Engine requests started so far on the page (the live views' counter). */
const started = (page: Page) => page.evaluate(() => (window as unknown as { __kzQueries?: { started: number } }).__kzQueries?.started ?? 0);

test.describe('Escape closes dropdowns and returns focus to their button', () => {
	test('a filter bar multi-select', async ({ page }) => {
		await page.goto('/');
		const filter = page.locator('[data-filter="ftype"]');
		await filter.locator('summary').click();
		await expect(filter).toHaveJSProperty('open', true);
		const box = filter.locator('input[type="checkbox"]').first();
		await box.focus();
		await page.keyboard.press('Escape');
		await expect(filter).toHaveJSProperty('open', false);
		await expect(filter.locator('summary')).toBeFocused();
		// Opened by keyboard and closed again from its own button.
		await page.keyboard.press('Enter');
		await expect(filter).toHaveJSProperty('open', true);
		await page.keyboard.press('Escape');
		await expect(filter).toHaveJSProperty('open', false);
		await expect(filter.locator('summary')).toBeFocused();
	});

	test('the map\'s list of region pages', async ({ page }) => {
		await page.goto('/ru/');
		const list = page.locator('[data-chart="region-map"] .region-links details');
		await list.locator('summary').click();
		await list.locator('a').first().focus();
		await page.keyboard.press('Escape');
		await expect(list).toHaveJSProperty('open', false);
		await expect(list.locator('summary')).toBeFocused();
	});

	test('a chart\'s embed snippet, and the disclosure inside it first', async ({ page }) => {
		await page.goto('/');
		const chart = page.locator('[data-chart="allegations-by-year"]');
		const button = chart.locator('[data-embed-button]');
		await button.click();
		await expect(button).toHaveAttribute('aria-expanded', 'true');
		const snippet = chart.locator('[data-embed-snippet]');
		await expect(snippet).toBeVisible();
		const inner = snippet.locator('details');
		await inner.locator('summary').click();
		await expect(inner).toHaveJSProperty('open', true);
		await inner.locator('button').focus();
		// The innermost disclosure closes first; the snippet stays.
		await page.keyboard.press('Escape');
		await expect(inner).toHaveJSProperty('open', false);
		await expect(inner.locator('summary')).toBeFocused();
		await expect(snippet).toBeVisible();
		await snippet.locator('textarea').focus();
		await page.keyboard.press('Escape');
		await expect(snippet).toHaveCount(0);
		await expect(button).toHaveAttribute('aria-expanded', 'false');
		await expect(button).toBeFocused();
	});
});

test.describe('the tile map: Ctrl/Cmd-click and middle-click open a region page in a new tab', () => {
	// Filters the region page has (years, facility type) and ones it does not (region, map, highlight, measure).
	const query = '?from=2018&ftype=sizo&region=KZ-11&map=conditions&hl=KZ-11&measure=per_residents&v=1';

	for (const [prefix, how] of [
		['', 'ctrl'],
		['/kk', 'middle']
	] as const) {
		test(`${how}-click at ${prefix || '/'}: a new tab with only the region page's parameters; this view unchanged`, async ({ page, context }) => {
			await page.goto(`${prefix}/${query}`);
			await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
			const before = page.url();
			const tile = page.locator('[data-chart="region-map"] [data-region="KZ-75"]');
			await expect(tile.locator('a')).toHaveAttribute('href', `${prefix}/regions/KZ-75/?from=2018&ftype=sizo&v=1`);
			const opened = context.waitForEvent('page');
			if (how === 'ctrl') await tile.locator('rect').click({ modifiers: ['ControlOrMeta'] });
			else await tile.locator('rect').click({ button: 'middle' });
			const tab = await opened;
			await tab.waitForLoadState();
			const url = new URL(tab.url());
			expect(url.pathname).toBe(`${prefix}/regions/KZ-75/`);
			expect(Object.fromEntries(url.searchParams)).toEqual({ from: '2018', ftype: 'sizo', v: '1' });
			await expect(tab.locator('h1[data-region="KZ-75"]')).toBeVisible();
			await expect(tab.locator('[data-filter="ftype"] input[value="sizo"]')).toBeChecked();
			// The view the click was made on: same address, KZ-75 not added to the region filter.
			expect(page.url()).toBe(before);
			await expect(tile).not.toHaveClass(/selected/);
			await tab.close();
		});
	}

	test('a plain click still toggles the region filter, in this tab', async ({ page, context }) => {
		await page.goto('/');
		await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
		let tabs = 0;
		context.on('page', () => tabs++);
		const tile = page.locator('[data-chart="region-map"] [data-region="KZ-75"]');
		await tile.locator('rect').click();
		await expect(page).toHaveURL(/\/\?region=KZ-75&v=1$/);
		await expect(tile).toHaveClass(/selected/);
		await tile.locator('rect').click();
		await expect(page).toHaveURL(/\/$/);
		await expect(tile).not.toHaveClass(/selected/);
		expect(tabs).toBe(0);
	});
});

test.describe('the highlighted region and shares/counts are in the URL', () => {
	test('overview: hl from the URL is shown; a change is written, back and forward restore it, and asks the engine nothing', async ({ page }) => {
		await page.goto('/?hl=KZ-75');
		const chart = page.locator('[data-chart="allegations-by-year"]');
		const select = chart.locator('[data-control="highlight"]');
		await expect(select).toHaveValue('KZ-75');
		await expect(chart.locator('path.highlight')).toHaveAttribute('data-series', 'KZ-75');
		await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 30_000 });
		await expect.poll(() => page.evaluate(() => { const q = (window as unknown as { __kzQueries: { started: number; settled: number } }).__kzQueries; return q.started === q.settled; })).toBe(true);
		const asked = await started(page);

		await select.selectOption('KZ-11');
		await expect(page).toHaveURL(/[?&]hl=KZ-11(&|$)/);
		await expect(chart.locator('path.highlight')).toHaveAttribute('data-series', 'KZ-11');
		await select.selectOption('');
		// "None" is the overview's default: left out of the URL.
		await expect(page).toHaveURL(/\/$/);
		await expect(chart.locator('path.highlight')).toHaveCount(0);
		expect(await started(page)).toBe(asked);

		await page.goBack();
		await expect(page).toHaveURL(/hl=KZ-11/);
		await expect(select).toHaveValue('KZ-11');
		await expect(chart.locator('path.highlight')).toHaveAttribute('data-series', 'KZ-11');
		await page.goBack();
		await expect(select).toHaveValue('KZ-75');
		await page.goForward();
		await expect(select).toHaveValue('KZ-11');
	});

	test('region page: its own region by default (not in the URL); none is hl=none', async ({ page }) => {
		await page.goto('/ru/regions/KZ-75/');
		const chart = page.locator('[data-chart="allegations-by-year"]');
		const select = chart.locator('[data-control="highlight"]');
		await expect(select).toHaveValue('KZ-75');
		await expect(chart.locator('path.highlight')).toHaveAttribute('data-series', 'KZ-75');
		await select.selectOption('');
		await expect(page).toHaveURL(/\?hl=none&v=1$/);
		await expect(chart.locator('path.highlight')).toHaveCount(0);
		await select.selectOption('KZ-75');
		await expect(page).toHaveURL(/\/ru\/regions\/KZ-75\/$/);

		await page.goto('/ru/regions/KZ-75/?hl=none');
		await expect(select).toHaveValue('');
		await expect(chart.locator('path.highlight')).toHaveCount(0);
		await page.goto('/ru/regions/KZ-75/?hl=KZ-11');
		await expect(chart.locator('path.highlight')).toHaveAttribute('data-series', 'KZ-11');
	});

	/** The status chart's x-axis labels. */
	const ticks = (page: Page, id: string) => page.locator(`[data-chart="${id}"] svg g.grid text`).allTextContents();

	test('recommendations: each status chart\'s shares/counts switch has its own parameter', async ({ page }) => {
		await page.goto('/recommendations/?regmode=count');
		const byRegion = page.locator('[data-chart="recommendations-status-by-region"] [data-control="mode"]');
		const byAddressee = page.locator('[data-chart="recommendations-status-by-addressee"] [data-control="mode"]');
		await expect(byRegion).toHaveValue('count');
		await expect(byAddressee).toHaveValue('share');
		// Counts: no axis label is a percentage; shares: the axis ends at 100%.
		await expect.poll(async () => (await ticks(page, 'recommendations-status-by-region')).some((t) => t.includes('%'))).toBe(false);
		await expect.poll(async () => (await ticks(page, 'recommendations-status-by-addressee')).some((t) => /^100\s?%$/.test(t.trim()))).toBe(true);

		await byAddressee.selectOption('count');
		await expect(page).toHaveURL(/addrmode=count/);
		await expect(page).toHaveURL(/regmode=count/);
		await expect.poll(async () => (await ticks(page, 'recommendations-status-by-addressee')).some((t) => t.includes('%'))).toBe(false);
		await byRegion.selectOption('share');
		await expect(page).not.toHaveURL(/regmode/);
		await expect.poll(async () => (await ticks(page, 'recommendations-status-by-region')).some((t) => /^100\s?%$/.test(t.trim()))).toBe(true);

		await page.goBack();
		await expect(byRegion).toHaveValue('count');
		await page.goBack();
		await expect(byAddressee).toHaveValue('share');
		await expect(page).toHaveURL(/\/recommendations\/\?regmode=count(&v=1)?$/);
	});
});
