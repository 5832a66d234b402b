/**
 * The region brief prints (README, "Region brief (print)"): for each language, the "Print this
 * brief" button lays the page out for paper and calls window.print() (replaced here by a marker),
 * then Chromium prints the page to an A4 PDF. The PDF is read with tests/e2e/pdf.ts (inflated
 * streams, glyph ids through the fonts' ToUnicode maps) and checked for:
 * - its page count: 2-4 (the objects of the page tree and its declared /Count agree);
 * - its text: the region's name, the release (read here from the released datapackage.json), the
 *   citation (title and author from CITATION.cff, with that release) and the page's address;
 * - no chart split across pages: a chart frame prints its title and selection first and its source
 *   line last, so a frame is whole when the source line after its title is on the same page (the
 *   blocks are looked for in document order); the brief's figure tables likewise; and every
 *   printed block has break-inside: avoid.
 * Then, in print media: what only works on screen is hidden and the light scheme is used even when
 * the system asks for dark.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures';
import { readPdf, squeeze } from './pdf';

const RELEASE = JSON.parse(readFileSync(path.resolve('static/data/datapackage.json'), 'utf8')).version as string;
const CFF = readFileSync(path.resolve('CITATION.cff'), 'utf8');
const CITE_TITLE = /^title:\s*"(.+)"$/m.exec(CFF)![1];
const CITE_AUTHOR = /^\s+- name:\s*"(.+)"$/m.exec(CFF)![1];

const PAGES = [
	{ lang: 'en', path: '/regions/KZ-75/', name: 'Almaty', releaseLabel: 'Data release' },
	{ lang: 'ru', path: '/ru/regions/KZ-75/', name: 'Алматы', releaseLabel: 'Выпуск данных' },
	{ lang: 'kk', path: '/kk/regions/KZ-75/', name: 'Алматы', releaseLabel: 'Деректер шығарылымы' }
];

for (const p of PAGES) {
	test(`${p.lang}: the region page prints as a 2-4 page A4 brief with its text and whole charts`, async ({ page, baseURL }) => {
		await page.goto(p.path);
		await expect(page.locator('h1')).toHaveText(p.name);
		// Print-only blocks are not on screen; the button is.
		await expect(page.locator('[data-brief-figures="measures"]')).toBeHidden();
		const button = page.locator('[data-print-brief]');
		await expect(button).toBeVisible();
		await page.evaluate(() => {
			window.print = () => {
				document.documentElement.dataset.printCalled = '';
			};
		});
		await button.click();
		await page.locator('html[data-print-called]').waitFor({ state: 'attached' });
		// Laid out for paper: the charts drew themselves no wider than A4's 186 mm of text (703 px).
		const widths = await page.locator('[data-chart] .chart-svg').evaluateAll((svgs) => svgs.map((s) => Number(s.getAttribute('width'))));
		expect(widths.length).toBeGreaterThan(0);
		for (const w of widths) expect(w).toBeLessThanOrEqual(703);

		const pdf = readPdf(await page.pdf({ format: 'A4', printBackground: true }));
		const texts = pdf.pages.map(squeeze);
		const all = texts.join('');

		// Page count.
		expect(pdf.pages.length).toBe(pdf.declaredCount);
		expect(pdf.pages.length).toBeGreaterThanOrEqual(2);
		expect(pdf.pages.length).toBeLessThanOrEqual(4);

		// Text: name, release, citation, address.
		const url = new URL(p.path, baseURL).href;
		expect(texts[0]).toContain(squeeze(p.name));
		expect(texts[0]).toContain(squeeze(`${p.releaseLabel} ${RELEASE}`));
		expect(texts[0]).toContain(squeeze(url));
		const citation = (await page.locator('[data-brief-citation]').textContent())!;
		expect(citation).toContain(CITE_TITLE);
		expect(citation).toContain(CITE_AUTHOR);
		expect(citation).toContain(`(Version ${RELEASE})`);
		expect(citation).toContain(url);
		expect(all).toContain(squeeze(citation));

		// In print media: which blocks print, and how.
		await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
		const blocks = await page.locator('[data-chart], [data-brief-figures]').evaluateAll((els) =>
			els
				.filter((e) => getComputedStyle(e).display !== 'none')
				.map((e) => ({
					id: (e as HTMLElement).dataset.chart ?? `figures-${(e as HTMLElement).dataset.briefFigures}`,
					head: (e.querySelector('h2')?.textContent ?? '') + (e.querySelector('[data-chart-selection]')?.textContent ?? ''),
					source: e.querySelector('[data-chart-source], .source')?.textContent ?? '',
					breakInside: getComputedStyle(e).breakInside
				}))
		);
		expect(blocks.map((b) => b.id)).toEqual([
			'figures-measures',
			'region-compare',
			'region-shares',
			'region-rate-by-year',
			'figures-years',
			'conditions-living-space',
			'recommendations-status-by-addressee'
		]);
		// No chart split across pages: each block's head and then its source line are on one page.
		// Blocks are found in document order (a head may also end a later chart's title: "... Almaty and Kazakhstan").
		let cursor = { page: 0, at: 0 };
		for (const b of blocks) {
			expect(b.breakInside, b.id).toBe('avoid');
			expect(b.source, b.id).toContain(RELEASE);
			const head = squeeze(b.head);
			const source = squeeze(b.source);
			let found: { page: number; at: number } | null = null;
			for (let i = cursor.page; i < texts.length && !found; i++) {
				const at = texts[i].indexOf(head, i === cursor.page ? cursor.at : 0);
				if (at >= 0) found = { page: i, at };
			}
			expect(found, `${b.id} is printed`).not.toBeNull();
			const end = texts[found!.page].indexOf(source, found!.at + head.length);
			expect(end, `${b.id}: its source line is on the page of its title (page ${found!.page + 1})`).toBeGreaterThan(found!.at);
			cursor = { page: found!.page, at: end + source.length };
		}
		// Screen-only parts are out; the scheme is light although the system asks for dark.
		for (const sel of ['[data-filters]', '.print-brief', '.site-header .inner', '[data-chart] .actions', '[data-chart] .table-toggle'])
			for (const d of await page.locator(sel).evaluateAll((els) => els.map((e) => getComputedStyle(e).display))) expect(d, sel).toBe('none');
		expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('light');
		expect(await page.locator('main').evaluate((e) => getComputedStyle(e).color)).toBe('rgb(26, 29, 33)');
	});
}
