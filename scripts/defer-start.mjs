// Prerendered pages start the app only when the reader reaches for them.
//
// A dashboard page or an embed of a default view is its prerendered HTML: charts, summaries and
// data tables (the tables open without any script), styled without any script. Starting SvelteKit
// there means a hydration task of 0.4-1 s on a phone (one long task for the whole page: Svelte
// hydrates a route in one go), for a page the reader may only read. This post-build step (run by
// `npm run build` after `vite build`) rewrites the bootstrap script of the prerendered pages so
// that nothing is started until the first sign of interaction: a pointer over or down, a touch,
// focus, a key, and on dashboard pages also scrolling or the wheel. Then:
//   - any query parameter (a view other than the prerendered one) starts the app at once, as
//     before (on an embed, any parameter other than ?scheme=);
//   - a button click or a form change made before the app took over is replayed once it has
//     (html[data-hydrated]): clicks on anything the browser would not handle by itself (buttons,
//     chart marks; on an embed also links, which wait for the app), and the last value the reader
//     gave each form field (typed or chosen). On a dashboard page a link is followed by the browser (the
//     page it leads to is prerendered too);
//   - the module preloads are removed: nothing is downloaded for the app before the reader
//     reaches for it. A reader who only reads (or prints) pays neither the 150 KB of scripts nor
//     the hydration. On a desktop the pointer entering the page starts the download, well before
//     the first click. (Preloading in the <head> delayed the overview's first paint on
//     Lighthouse's simulated slow 4G from 0.9 s to 1.3-2.4 s; fetching the code in idle time after
//     load kept the first paint but scored 85-93 against 99-100 without: the requests after load
//     stretch the window in which Lighthouse counts the page's own parse and layout tasks.)
//   - embeds (build/embed/**, build/{ru,kk}/embed/**): until the app runs the script applies
//     ?scheme=light|dark and tells the host page the embed's height (the same two messages the
//     app sends).
// The data portal (/data/, its SQL console) and the "page not found" pages start at once, as
// SvelteKit writes them: the portal's engine takes a second or two to start, better spent early.
// The page's Content-Security-Policy <meta> allows the bootstrap by its sha256 hash; the hash of
// the rewritten script replaces the old one. Any page whose bootstrap does not have the expected
// shape fails the build (a SvelteKit upgrade must not silently ship a page that never starts).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The embed layout's height message type (src/lib/embed/ids.ts HEIGHT_MESSAGE; a unit test keeps them equal). */
export const HEIGHT_MESSAGE = 'kz-npm:height';

/** @param {string} s */
const sha = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/**
 * What runs before the app: the first-interaction trigger and the replay; on an embed also the
 * theme and the height.
 * @param {string} start SvelteKit's own start-up expression
 * @param {boolean} embed
 */
const prelude = (start, embed) => `
					const start = () => ${start};
					const query = new URLSearchParams(location.search);${
						embed
							? `
					const scheme = query.get('scheme');
					query.delete('scheme');`
							: ''
					}
					if ([...query.keys()].length > 0) start();
					else {
						const root = document.documentElement;${
							embed
								? `
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
						}`
								: ''
						}
						const early = [];
						const keep = (e) => {
							if (root.hasAttribute('data-hydrated')) return;
							const t = e.target instanceof Element ? e.target : null;
							if (!t || !element.contains(t)) return;
							if (e.type === 'click') {
								// What the browser does by itself (open a table, tick a box) needs no replay.
								if (t.closest('summary, label, input, select, textarea, option')) return;${
									embed
										? `
								// A link waits for the app, which may handle it (a region tile, the full view).
								if (t.closest('a[href]')) e.preventDefault();`
										: `
								// A link is followed by the browser: the page it leads to is prerendered too.
								if (t.closest('a[href]')) return;`
								}
								const { clientX, clientY, ctrlKey, metaKey, shiftKey, altKey, button } = e;
								early.push({ el: t, type: 'click', init: { bubbles: true, cancelable: true, clientX, clientY, ctrlKey, metaKey, shiftKey, altKey, button } });
							} else if ('value' in t) {
								// A field's last value counts (typing fires one input event a key).
								const i = early.findIndex((a) => a.el === t && a.type === 'change');
								if (i >= 0) early.splice(i, 1);
								early.push({ el: t, type: 'change', value: t.value, checked: t.checked });
							}
						};
						addEventListener('click', keep, true);
						addEventListener('input', keep, true);
						addEventListener('change', keep, true);
						const cues = ${JSON.stringify(embed ? EMBED_CUES : PAGE_CUES).replaceAll('"', "'").replaceAll(',', ', ')};
						const go = () => {
							for (const cue of cues) removeEventListener(cue, go, true);${embed ? `
							ro?.disconnect();` : ''}
							new MutationObserver((_, mo) => {
								if (!root.hasAttribute('data-hydrated')) return;
								mo.disconnect();
								removeEventListener('click', keep, true);
								removeEventListener('input', keep, true);
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

/** What starts an embed: a pointer over or down, a touch, focus, a key, a field changed. */
export const EMBED_CUES = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown', 'input', 'change'];
/** A dashboard page starts on the same cues and also when the reader scrolls. */
export const PAGE_CUES = [...EMBED_CUES, 'scroll', 'wheel'];

/**
 * Rewrites one prerendered page. Returns the new HTML; throws, naming `file`, when the page does
 * not have exactly one SvelteKit bootstrap of the expected shape or its CSP meta lacks its hash.
 * @param {string} html
 * @param {string} [file]
 * @param {{ embed: boolean }} [kind] an embed (the default) or a dashboard page
 * @returns {string}
 */
export function deferStart(html, file = 'page', kind = { embed: true }) {
	const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
	if (scripts.length !== 1) throw new Error(`${file}: expected one inline bootstrap script, found ${scripts.length}`);
	const old = scripts[0][1];
	if (old.includes('const cues = [')) throw new Error(`${file}: already rewritten by defer-start (run vite build again first)`);
	const m = old.match(/^([\s\S]*?const element = document\.currentScript\.parentElement;\s*)(Promise\.all\(\[[\s\S]*?\]\)\.then\(\(\[kit, app\]\) => \{[\s\S]*\}\);)(\s*\}\s*)$/);
	if (!m) throw new Error(`${file}: the bootstrap script does not have the shape SvelteKit 2 writes (const element = …; Promise.all([import(…)]).then(…))`);
	const startCall = m[2].replace(/;\s*$/, '');
	const links = html.match(/\s*<link href="[^"]+" rel="modulepreload">/g) ?? [];
	const script = m[1] + prelude(startCall, kind.embed) + m[3];
	const oldHash = sha(old);
	if (!html.includes(oldHash)) throw new Error(`${file}: the Content-Security-Policy meta does not carry the bootstrap's hash ${oldHash}`);
	let out = html.replace(old, () => script).replace(oldHash, () => sha(script));
	for (const p of links) out = out.replace(p, '');
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

/**
 * The dashboard pages under a language root: the overview, the theme pages and the regions.
 * Everything else (the portal under data/, the "page not found" pages, embeds) is not one.
 * @param {string} rel path of the page's file relative to the language root
 */
export const isDashboardPage = (rel) => /^(index\.html|(allegations|conditions|recommendations)\/index\.html|regions\/(.+\/)?index\.html)$/.test(rel.split(path.sep).join('/'));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const root = path.resolve(process.argv[2] ?? 'build');
	const counts = { embed: 0, page: 0 };
	for (const prefix of ['', 'ru', 'kk']) {
		const base = path.join(root, prefix);
		const dir = path.join(base, 'embed');
		if (existsSync(dir))
			for (const file of pages(dir)) {
				writeFileSync(file, deferStart(readFileSync(file, 'utf8'), path.relative(process.cwd(), file), { embed: true }));
				counts.embed++;
			}
		for (const file of pages(base)) {
			if (!isDashboardPage(path.relative(base, file))) continue;
			writeFileSync(file, deferStart(readFileSync(file, 'utf8'), path.relative(process.cwd(), file), { embed: false }));
			counts.page++;
		}
	}
	if (counts.embed === 0) throw new Error(`defer-start: no embed pages under ${root}/{,ru/,kk/}embed (run vite build first)`);
	if (counts.page === 0) throw new Error(`defer-start: no dashboard pages under ${root} (run vite build first)`);
	console.log(`defer-start: ${counts.embed} embed pages and ${counts.page} dashboard pages start the app on first interaction`);
}
