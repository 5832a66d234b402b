import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { deferEmbed, HEIGHT_MESSAGE as SCRIPT_MESSAGE } from '../../scripts/embed-defer.mjs';
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

describe('embed-defer (embeds start on first interaction)', () => {
	it('rewrites the bootstrap, puts its new hash in the policy and drops the module preloads', () => {
		const out: string = deferEmbed(page(BOOT), 'build/embed/x/index.html');
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
		expect(() => deferEmbed(page('console.log(1)'), 'build/embed/a/index.html')).toThrow(/build\/embed\/a\/index\.html: the bootstrap script does not have the shape/);
		expect(() => deferEmbed(page(BOOT, "'sha256-other'"), 'build/embed/b/index.html')).toThrow(/build\/embed\/b\/index\.html: the Content-Security-Policy meta does not carry/);
		expect(() => deferEmbed(deferEmbed(page(BOOT)), 'build/embed/d/index.html')).toThrow(/build\/embed\/d\/index\.html: already rewritten/);
		expect(() => deferEmbed(page(BOOT).replace('</body>', '<script>x()</script></body>'), 'build/embed/c/index.html')).toThrow(/build\/embed\/c\/index\.html: expected one inline bootstrap script, found 2/);
	});
});
