import { test, expect } from './fixtures';
import { readFileSync } from 'node:fs';
import { download } from './portal-helpers';

const en = JSON.parse(readFileSync('messages/en.json', 'utf8')) as Record<string, string>;

/** PNG width and height from the IHDR chunk. */
function pngSize(b: Uint8Array) {
	expect([...b.slice(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
	const v = new DataView(b.buffer, b.byteOffset);
	return { width: v.getUint32(16), height: v.getUint32(20) };
}

test('SVG export parses and carries title, definition, source, licence and filters; PNG is 2x', async ({ page }) => {
	test.setTimeout(90_000);
	await page.setViewportSize({ width: 1100, height: 900 });
	await page.goto('/?region=KZ-75&v=1');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 40_000 });
	const chart = page.locator('[data-chart="allegations-by-year"]');
	const svgFile = await download(page, () => chart.locator('[data-export="svg"]').click());
	expect(svgFile.name).toBe('allegations-by-year.svg');
	const svg = new TextDecoder().decode(svgFile.bytes);

	const parsed = await page.evaluate((s) => {
		const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
		const root = doc.documentElement;
		return {
			error: doc.querySelector('parsererror')?.textContent ?? null,
			name: root.nodeName,
			width: Number(root.getAttribute('width')),
			height: Number(root.getAttribute('height')),
			text: Array.from(doc.querySelectorAll('text')).map((t) => t.textContent).join(' | '),
			title: doc.querySelector('title')?.textContent,
			paths: doc.querySelectorAll('path').length,
			vars: s.includes('var(--')
		};
	}, svg);
	expect(parsed.error).toBeNull();
	expect(parsed.name).toBe('svg');
	expect(parsed.title).toBe(en.allegations_by_year_title);
	// Long lines are wrapped into several <text> elements: compare the text as one flow.
	expect(parsed.text.replace(/ \| /g, ' ')).toContain(en.allegations_by_year_title);
	expect(parsed.text).toContain(en.chart_source.replace('{source}', en.chart_source_synthetic).slice(0, 20));
	expect(parsed.text).toContain('CC BY 4.0');
	expect(parsed.text).toMatch(/Regions: Almaty/);
	expect(parsed.paths).toBeGreaterThanOrEqual(2);
	// Colours are resolved: no CSS variable is left for another program to guess.
	expect(parsed.vars).toBe(false);
	expect(svg).toContain('system-ui');

	const pngFile = await download(page, () => chart.locator('[data-export="png"]').click());
	expect(pngFile.name).toBe('allegations-by-year@2x.png');
	const size = pngSize(pngFile.bytes);
	expect(size).toEqual({ width: parsed.width * 2, height: parsed.height * 2 });
	// It decodes (not just a header).
	const decoded = await page.evaluate(async (bytes) => {
		const bmp = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
		return { w: bmp.width, h: bmp.height };
	}, [...pngFile.bytes]);
	expect(decoded).toEqual({ w: size.width, h: size.height });
});
