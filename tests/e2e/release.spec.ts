import { test, expect } from './fixtures';
import { readFileSync } from 'node:fs';
import { download, parseCsv, text } from './portal-helpers';

/** The release every chart names: read here from the released datapackage.json, not from the app. */
const VERSION = (JSON.parse(readFileSync('static/data/datapackage.json', 'utf8')) as { version: string }).version;

test('every chart names the release it was drawn from, in each language', async ({ page }) => {
	const cases = [
		['/allegations/', `Release ${VERSION}.`],
		['/ru/conditions/', `Выпуск данных ${VERSION}.`],
		['/kk/recommendations/', `Деректер шығарылымы ${VERSION}.`]
	] as const;
	for (const [path, words] of cases) {
		await page.goto(path);
		const lines = page.locator('[data-chart-source]');
		const n = await lines.count();
		expect(n, path).toBeGreaterThan(2);
		for (let i = 0; i < n; i++) await expect(lines.nth(i), `${path} chart ${i}`).toContainText(words);
	}
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('an embed names the release in its prerendered source line', async ({ page }) => {
		await page.goto('/kk/embed/region-map/');
		await expect(page.locator('[data-chart-source]')).toContainText(`Деректер шығарылымы ${VERSION}.`);
	});
});

test("a chart's CSV and SVG carry the release", async ({ page }) => {
	await page.goto('/');
	const chart = page.locator('[data-chart="allegations-by-year"]');
	const csv = await download(page, () => chart.getByRole('button', { name: "Download this chart's data (CSV)" }).click());
	const [header, ...rows] = parseCsv(text(csv.bytes).replace(/^\ufeff/, ''));
	expect(header.at(-1)).toBe('release');
	expect(rows.length).toBeGreaterThan(5);
	for (const r of rows) expect(r.at(-1)).toBe(VERSION);
	const svg = await download(page, () => chart.locator('[data-export="svg"]').click());
	expect(text(svg.bytes)).toContain(`Release ${VERSION}`);
	// The plot numbers its key dates; the export carries the numbered list the page shows under it.
	const items = await chart.locator('.annotation-list li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('value')}. ${(li.textContent ?? '').trim()}`));
	expect(items.length).toBeGreaterThan(2);
	expect(text(svg.bytes)).toContain('>Key dates</text>');
	const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
	for (const item of items) expect(text(svg.bytes).replace(/<\/text><text[^>]*>/g, ' ')).toContain(escape(item));
});
