// Embeds start the app only when the viewer reaches for them.
//
// An embed of a default view is its prerendered HTML: the chart, its summary, its table, styled
// without any script. Starting SvelteKit there costs a donor's page about 140 KB of JavaScript and
// a hydration task per embed, for a chart the reader may only look at. This post-build step (run
// by `npm run build` after `vite build`) rewrites the bootstrap script of every prerendered embed
// page (build/embed/**, build/{ru,kk}/embed/**) so that:
//   - with no query parameters other than ?scheme=, nothing is imported until the first sign of
//     interaction (pointer over or down, touch, focus, key); the module preloads are removed, so
//     the page downloads no script at all before that;
//   - any other query parameter (a filtered view) starts the app at once, as before;
//   - until the app runs, the script applies ?scheme=light|dark and tells the host page the
//     embed's height (the same two messages the app sends), and a button click or a form change
//     made before the app took over is replayed once it has (html[data-hydrated]): clicks on
//     anything the browser would not handle by itself (buttons, chart marks, links, which wait),
//     and changes of a form field with the value the reader chose.
// The page's Content-Security-Policy <meta> allows the bootstrap by its sha256 hash; the hash of
// the rewritten script replaces the old one. Any page whose bootstrap does not have the expected
// shape fails the build (a SvelteKit upgrade must not silently ship an embed that never starts).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The embed layout's height message type (src/lib/embed/ids.ts HEIGHT_MESSAGE; a unit test keeps them equal). */
export const HEIGHT_MESSAGE = 'kz-npm:height';

/** @param {string} s */
const sha = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/**
 * What runs before the app: theme, height, the first-interaction trigger and the replay.
 * @param {string} start SvelteKit's own start-up expression
 */
const prelude = (start) => `
					const start = () => ${start};
					const query = new URLSearchParams(location.search);
					const scheme = query.get('scheme');
					query.delete('scheme');
					if ([...query.keys()].length > 0) start();
					else {
						const root = document.documentElement;
						if (scheme === 'light' || scheme === 'dark') root.dataset.theme = scheme;
						const box = element.querySelector('[data-embed-root]');
						let ro;
						if (box && window.parent !== window) {
							let last = -1;
							const chart = box.dataset.embedId;
							ro = new ResizeObserver(() => {
								const height = Math.ceil(box.getBoundingClientRect().height);
								if (height === last) return;
								last = height;
								window.parent.postMessage({ type: ${JSON.stringify(HEIGHT_MESSAGE)}, chart, height }, '*');
								window.parent.postMessage({ 'datawrapper-height': { [chart]: height } }, '*');
							});
							ro.observe(box);
						}
						const early = [];
						const keep = (e) => {
							if (root.hasAttribute('data-hydrated')) return;
							const t = e.target instanceof Element ? e.target : null;
							if (!t || !element.contains(t)) return;
							if (e.type === 'click') {
								// What the browser does by itself (open a table, tick a box) needs no replay.
								if (t.closest('summary, label, input, select, textarea, option')) return;
								// A link waits for the app, which may handle it (a region tile, the full view).
								if (t.closest('a[href]')) e.preventDefault();
								const { clientX, clientY, ctrlKey, metaKey, shiftKey, altKey, button } = e;
								early.push({ el: t, type: 'click', init: { bubbles: true, cancelable: true, clientX, clientY, ctrlKey, metaKey, shiftKey, altKey, button } });
							} else if ('value' in t) early.push({ el: t, type: 'change', value: t.value, checked: t.checked });
						};
						addEventListener('click', keep, true);
						addEventListener('change', keep, true);
						const cues = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown'];
						const go = () => {
							for (const cue of cues) removeEventListener(cue, go, true);
							ro?.disconnect();
							new MutationObserver((_, mo) => {
								if (!root.hasAttribute('data-hydrated')) return;
								mo.disconnect();
								removeEventListener('click', keep, true);
								removeEventListener('change', keep, true);
								// After the current task: SvelteKit starts its router once hydration is done.
								setTimeout(() => {
									for (const a of early) {
										if (!a.el.isConnected) continue;
										if (a.type === 'click') a.el.dispatchEvent(new MouseEvent('click', a.init));
										else {
											a.el.value = a.value;
											if (typeof a.checked === 'boolean') a.el.checked = a.checked;
											a.el.dispatchEvent(new Event('input', { bubbles: true }));
											a.el.dispatchEvent(new Event('change', { bubbles: true }));
										}
									}
								});
							}).observe(root, { attributes: true, attributeFilter: ['data-hydrated'] });
							start();
						};
						for (const cue of cues) addEventListener(cue, go, { capture: true, passive: true });
					}
`;

/**
 * Rewrites one embed page. Returns the new HTML; throws, naming `file`, when the page does not
 * have exactly one SvelteKit bootstrap of the expected shape or its CSP meta lacks its hash.
 * @param {string} html
 * @param {string} [file]
 * @returns {string}
 */
export function deferEmbed(html, file = 'page') {
	const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
	if (scripts.length !== 1) throw new Error(`${file}: expected one inline bootstrap script, found ${scripts.length}`);
	const old = scripts[0][1];
	if (old.includes('const cues = [')) throw new Error(`${file}: already rewritten by embed-defer (run vite build again first)`);
	const m = old.match(/^([\s\S]*?const element = document\.currentScript\.parentElement;\s*)(Promise\.all\(\[[\s\S]*?\]\)\.then\(\(\[kit, app\]\) => \{[\s\S]*\}\);)(\s*\}\s*)$/);
	if (!m) throw new Error(`${file}: the bootstrap script does not have the shape SvelteKit 2 writes (const element = …; Promise.all([import(…)]).then(…))`);
	const startCall = m[2].replace(/;\s*$/, '');
	const script = m[1] + prelude(startCall) + m[3];
	const oldHash = sha(old);
	if (!html.includes(oldHash)) throw new Error(`${file}: the Content-Security-Policy meta does not carry the bootstrap's hash ${oldHash}`);
	const preloads = html.match(/\s*<link href="[^"]+" rel="modulepreload">/g) ?? [];
	let out = html.replace(old, () => script).replace(oldHash, () => sha(script));
	for (const p of preloads) out = out.replace(p, '');
	return out;
}

/**
 * @param {string} dir
 * @returns {Generator<string>}
 */
function* pages(dir) {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* pages(p);
		else if (entry.name.endsWith('.html')) yield p;
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const root = path.resolve(process.argv[2] ?? 'build');
	let n = 0;
	for (const prefix of ['', 'ru', 'kk']) {
		const dir = path.join(root, prefix, 'embed');
		if (!existsSync(dir)) continue;
		for (const file of pages(dir)) {
			writeFileSync(file, deferEmbed(readFileSync(file, 'utf8'), path.relative(process.cwd(), file)));
			n++;
		}
	}
	if (n === 0) throw new Error(`embed-defer: no embed pages under ${root}/{,ru/,kk/}embed (run vite build first)`);
	console.log(`embed-defer: ${n} embed pages start the app on first interaction`);
}
