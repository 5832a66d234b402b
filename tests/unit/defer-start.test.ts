import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { deferStart, EMBED_CUES, HEIGHT_MESSAGE as SCRIPT_MESSAGE, isDashboardPage, PAGE_CUES } from '../../scripts/defer-start.mjs';
import { HEIGHT_MESSAGE } from '../../src/lib/embed/ids';

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** A page in the shape SvelteKit 2's prerender writes for an embed. */
function page(script: string, hash = sha(script)) {
	return `<!doctype html><html><head>
		<meta http-equiv="content-security-policy" content="default-src 'self'; script-src 'self' ${hash}; style-src 'self'">
		<link href="../../_app/immutable/entry/start.abc.js" rel="modulepreload">
		<link href="../../_app/immutable/chunks/def.js" rel="modulepreload">
	</head><body><div style="display: contents"><main data-embed-root data-embed-id="region-map">chart</main>
			<script>${script}</script>
		</div></body></html>`;
}
const BOOT = `
				{
					__sveltekit_x = { base: new URL("../..", location).pathname.slice(0, -1) };

					const element = document.currentScript.parentElement;

					Promise.all([
						import("../../_app/immutable/entry/start.abc.js"),
						import("../../_app/immutable/entry/app.ghi.js")
					]).then(([kit, app]) => {
						kit.start(app, element, { node_ids: [0, 2, 8], data: [null], form: null, error: null });
					});
				}
			`;

describe('defer-start (embeds and dashboard pages start on first interaction)', () => {
	it('rewrites the bootstrap, puts its new hash in the policy and drops the module preloads', () => {
		const out: string = deferStart(page(BOOT), 'build/embed/x/index.html');
		const script = out.match(/<script>([\s\S]*?)<\/script>/)![1];
		expect(script).not.toBe(BOOT);
		expect(out).toContain(sha(script));
		expect(out).not.toContain(sha(BOOT));
		expect(out).not.toContain('modulepreload');
		// SvelteKit's own start-up is kept whole, behind the first-interaction cue.
		expect(script).toContain('const start = () => Promise.all([');
		expect(script).toContain('kit.start(app, element, { node_ids: [0, 2, 8], data: [null], form: null, error: null });');
		expect(script).toMatch(/for \(const cue of cues\) addEventListener\(cue, go/);
		// It is still one valid block of JavaScript.
		expect(() => new Function(script)).not.toThrow();
		expect(out.replace(script, '')).toBe(page(BOOT).replace(BOOT, '').replace(sha(BOOT), sha(script)).replace(/\s*<link href="[^"]+" rel="modulepreload">/g, ''));
	});

	it('posts the same height message as the embed layout', () => {
		expect(SCRIPT_MESSAGE).toBe(HEIGHT_MESSAGE);
	});

	it('fails the build, naming the file, when the page is not what it expects', () => {
		expect(() => deferStart(page('console.log(1)'), 'build/embed/a/index.html')).toThrow(/build\/embed\/a\/index\.html: the bootstrap script does not have the shape/);
		expect(() => deferStart(page(BOOT, "'sha256-other'"), 'build/embed/b/index.html')).toThrow(/build\/embed\/b\/index\.html: the Content-Security-Policy meta does not carry/);
		expect(() => deferStart(deferStart(page(BOOT)), 'build/embed/d/index.html')).toThrow(/build\/embed\/d\/index\.html: already rewritten/);
		expect(() => deferStart(deferStart(page(BOOT), 'x', { embed: false }), 'build/e/index.html', { embed: false })).toThrow(/build\/e\/index\.html: already rewritten/);
		expect(() => deferStart(page(BOOT).replace('</body>', '<script>x()</script></body>'), 'build/embed/c/index.html')).toThrow(/build\/embed\/c\/index\.html: expected one inline bootstrap script, found 2/);
	});

	it('on a dashboard page drops the module preloads, lets links navigate and adds scrolling to the cues', () => {
		const out: string = deferStart(page(BOOT), 'build/index.html', { embed: false });
		const script = out.match(/<script>([\s\S]*?)<\/script>/)![1];
		expect(out).toContain(sha(script));
		expect(out).not.toContain(sha(BOOT));
		// Nothing of the app is fetched before the reader reaches for it.
		expect(out).not.toContain('modulepreload');
		expect(script).not.toMatch(/prefetch|modulepreload/);
		expect(script).toContain('kit.start(app, element, { node_ids: [0, 2, 8], data: [null], form: null, error: null });');
		expect(script).toContain(`const cues = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown', 'input', 'change', 'scroll', 'wheel'];`);
		expect(PAGE_CUES).toEqual([...EMBED_CUES, 'scroll', 'wheel']);
		// No embed business on a page: no theme from the query, no height messages, no link held back.
		expect(script).not.toContain('scheme');
		expect(script).not.toContain(SCRIPT_MESSAGE);
		expect(script).not.toContain('preventDefault');
		expect(() => new Function(script)).not.toThrow();
	});

	it('an embed keeps its own cues, theme and height', () => {
		const script = deferStart(page(BOOT)).match(/<script>([\s\S]*?)<\/script>/)![1];
		expect(script).toContain(`const cues = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown', 'input', 'change'];`);
		expect(script).toContain("query.get('scheme')");
		expect(script).toContain(SCRIPT_MESSAGE);
		expect(script).toContain('preventDefault');
	});

	it('knows the dashboard pages from the portal, the not-found pages and the embeds', () => {
		for (const p of ['index.html', 'allegations/index.html', 'conditions/index.html', 'recommendations/index.html', 'regions/index.html', 'regions/KZ-75/index.html'])
			expect(isDashboardPage(p), p).toBe(true);
		for (const p of ['data/index.html', 'data/sql/index.html', '404.html', 'embed/region-map/index.html', 'ru/index.html', 'allegations/x.html'])
			expect(isDashboardPage(p), p).toBe(false);
	});
});
