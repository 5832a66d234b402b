/**
 * Narrow screens: at 360 px (a small phone) every chart's text fits. On every page with charts, in
 * every language, and in a few embeds at 380 px, one in-page check walks each chart frame and
 * reports text that is clipped or overflows:
 * - an SVG <text> whose box leaves its SVG, or the chart frame (unless it sits in an intended
 *   scroll container, overflow auto/scroll), or overlaps another text of the same SVG;
 * - an HTML element in the frame whose content is wider than its box (scrollWidth > clientWidth)
 *   without being a scroll container, or which sticks out of the frame;
 * - the page itself scrolling sideways.
 * Each failure names the page, the language, the chart and the text.
 */
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

const PAGES = ['/', '/allegations/', '/conditions/', '/recommendations/', '/regions/', '/regions/KZ-75/'];
const LANGS = [
	{ lang: 'en', prefix: '' },
	{ lang: 'ru', prefix: '/ru' },
	{ lang: 'kk', prefix: '/kk' }
];
const EMBEDS = ['/ru/embed/conditions-heatmap/', '/kk/embed/region-map/', '/kk/embed/allegations-by-type/'];

/**
 * Runs in the page: every text problem in every chart frame, as "chart: problem: text". Each frame
 * is checked as a reader sees it, scrolled into view: far from the screen a frame is not laid out
 * (content-visibility: auto), so the boxes read there would be of its last drawing, not the one the
 * reader will see.
 */
async function findClippedText(): Promise<string[]> {
	const out: string[] = [];
	const TOL = 1;
	const say = (chart: string, what: string, text: string) => out.push(`${chart}: ${what}: "${text.trim().replace(/\s+/g, ' ').slice(0, 60)}"`);
	const scrolls = (el: Element) => {
		const s = getComputedStyle(el);
		return /(auto|scroll)/.test(s.overflowX);
	};
	/** The nearest ancestor (inside the frame) that is a scroll container, if any. */
	const scroller = (el: Element, frame: Element) => {
		for (let p = el.parentElement; p && p !== frame; p = p.parentElement) if (scrolls(p)) return p;
		return null;
	};
	const visible = (el: Element) => {
		const r = el.getBoundingClientRect();
		if (r.width === 0 && r.height === 0) return false;
		const s = getComputedStyle(el);
		return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
	};
	const hidden = (el: Element) => el.closest('.visually-hidden, details:not([open]) > :not(summary), [hidden]') !== null;
	const outside = (r: DOMRect, box: DOMRect) => r.left < box.left - TOL || r.right > box.right + TOL || r.top < box.top - TOL || r.bottom > box.bottom + TOL;

	if (document.documentElement.scrollWidth > document.documentElement.clientWidth + TOL)
		out.push(`page: scrolls sideways (${document.documentElement.scrollWidth} px in ${document.documentElement.clientWidth} px)`);

	for (const frame of Array.from(document.querySelectorAll<HTMLElement>('section.chart[data-chart]'))) {
		const id = frame.dataset.chart ?? '?';
		frame.scrollIntoView({ block: 'start' });
		await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
		// A view whose answer waited off the screen draws it now that it is near (OnScreen.svelte).
		await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
		const fbox = frame.getBoundingClientRect();
		// SVG texts.
		for (const svg of Array.from(frame.querySelectorAll('svg'))) {
			if (hidden(svg) || !visible(svg)) continue;
			const sbox = svg.getBoundingClientRect();
			const texts = Array.from(svg.querySelectorAll('text')).filter((t) => (t.textContent ?? '').trim() !== '' && visible(t));
			const boxes = texts.map((t) => t.getBoundingClientRect());
			texts.forEach((t, i) => {
				const r = boxes[i];
				if (outside(r, sbox)) say(id, 'text outside its SVG', t.textContent ?? '');
				else if (!scroller(svg, frame) && outside(r, fbox)) say(id, 'text outside the chart frame', t.textContent ?? '');
				for (let j = 0; j < i; j++) {
					const q = boxes[j];
					const w = Math.min(r.right, q.right) - Math.max(r.left, q.left);
					const h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
					if (w > 1.5 && h > 1.5) say(id, `text overlaps "${(texts[j].textContent ?? '').trim().slice(0, 30)}"`, t.textContent ?? '');
				}
			});
		}
		// HTML inside the frame.
		for (const el of Array.from(frame.querySelectorAll<HTMLElement>('*'))) {
			if (el instanceof SVGElement || el.closest('svg') || hidden(el) || !visible(el)) continue;
			const s = getComputedStyle(el);
			if (s.display === 'inline' || s.display === 'contents') continue;
			if (!scrolls(el) && el.scrollWidth > el.clientWidth + TOL) say(id, `content wider than its box (${el.scrollWidth} > ${el.clientWidth} px, <${el.tagName.toLowerCase()}>)`, el.textContent ?? '');
			if (!scroller(el, frame) && (el.textContent ?? '').trim() !== '' && outside(el.getBoundingClientRect(), fbox)) {
				// Report the innermost offender only.
				const r = el.getBoundingClientRect();
				if (r.left < fbox.left - TOL || r.right > fbox.right + TOL) {
					const inner = Array.from(el.children).some((c) => {
						const cr = c.getBoundingClientRect();
						return cr.left < fbox.left - TOL || cr.right > fbox.right + TOL;
					});
					if (!inner) say(id, 'sticks out of the chart frame', el.textContent ?? '');
				}
			}
		}
	}
	// Again with every frame drawn once (a frame far from the screen clips its content).
	if (document.documentElement.scrollWidth > document.documentElement.clientWidth + TOL)
		out.push(`page: scrolls sideways once every chart was drawn (${document.documentElement.scrollWidth} px in ${document.documentElement.clientWidth} px)`);
	return out;
}

async function check(page: Page, url: string): Promise<string[]> {
	await page.goto(url);
	// The build's charts are drawn for a default width; wait until every chart has measured itself
	// and drawn its live answer.
	await expect(page.locator('section.chart[data-status="loading"]')).toHaveCount(0);
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	const charts = await page.locator('section.chart[data-chart]').count();
	expect(charts, `${url} has charts`).toBeGreaterThan(0);
	const failures = (await page.evaluate(findClippedText)).map((f) => `${url} ${f}`);
	failures.push(...(await page.evaluate(checkDesign)).map((f) => `${url} ${f}`));
	return failures;
}

/** Runs in the page: the narrow layouts' own promises, where the page has the chart. */
function checkDesign(): string[] {
	const out: string[] = [];
	// The tile map keeps a value on every tile, and a name.
	for (const map of Array.from(document.querySelectorAll('.tilemap'))) {
		const tiles = Array.from(map.querySelectorAll('g.tile'));
		const bare = tiles.filter((t) => !(t.querySelector('text.val')?.textContent ?? '').trim() || !(t.querySelector('text.short')?.textContent ?? '').trim());
		if (tiles.length === 0 || bare.length) out.push(`tile map: ${bare.length} of ${tiles.length} tiles without a value or a name`);
	}
	// Heatmap cells are at least 24 px wide and high on screen.
	for (const rect of Array.from(document.querySelectorAll('.heatmap svg rect[data-row]')).slice(0, 40)) {
		const r = rect.getBoundingClientRect();
		if (r.width < 24 || r.height < 20) out.push(`heatmap: cell ${r.width.toFixed(1)} x ${r.height.toFixed(1)} px`);
	}
	// Allegations by type: two panels a row.
	const panels = Array.from(document.querySelectorAll('[data-chart="allegations-by-type"] .panel'));
	if (panels.length > 1 && new Set(panels.slice(0, 2).map((p) => Math.round(p.getBoundingClientRect().top))).size !== 1)
		out.push('allegations by type: the first two panels are not side by side');
	return out;
}

for (const { lang, prefix } of LANGS) {
	test(`every chart's text fits at 360 px (${lang})`, async ({ page }) => {
		test.setTimeout(90_000);
		await page.setViewportSize({ width: 360, height: 800 });
		const failures: string[] = [];
		for (const p of PAGES) failures.push(...(await check(page, prefix + p)));
		expect(failures, failures.join('\n')).toEqual([]);
	});
}

test('embeds fit at 380 px', async ({ page }) => {
	await page.setViewportSize({ width: 380, height: 700 });
	const failures: string[] = [];
	for (const url of EMBEDS) failures.push(...(await check(page, url)));
	expect(failures, failures.join('\n')).toEqual([]);
});
