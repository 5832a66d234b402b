// The response headers the site needs, in one place: used by scripts/serve.mjs, by svelte.config.js
// (the policy each prerendered page carries) and written into the files for static hosts (deploy/).
// Embeds (/embed/...) may be framed by any origin; every other page only by the site itself.

/**
 * The Content-Security-Policy of a page, in the form SvelteKit's `kit.csp.directives` takes
 * (keywords without quotes). svelte.config.js has SvelteKit write it into every prerendered page
 * as a <meta http-equiv> with the sha256 hashes of that page's inline bootstrap script added to
 * script-src: so scripts need no 'unsafe-inline', and 'wasm-unsafe-eval' (DuckDB compiles its
 * .wasm) is the only other thing they are allowed.
 * @type {Record<string, string[]>}
 */
export const PAGE_CSP = {
	'default-src': ['self'],
	'script-src': ['self', 'wasm-unsafe-eval'],
	'style-src': ['self', 'unsafe-inline'],
	'img-src': ['self', 'data:', 'blob:'],
	'font-src': ['self'],
	// The engine's .wasm is fetched on the page and handed to the worker as a blob: URL.
	'connect-src': ['self', 'blob:'],
	'worker-src': ['self', 'blob:'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self']
};

const KEYWORDS = new Set(['self', 'none', 'unsafe-inline', 'unsafe-eval', 'wasm-unsafe-eval', 'strict-dynamic', 'unsafe-hashes', 'report-sample']);
/** @param {Record<string, string[]>} d */
const serialize = (d) =>
	Object.entries(d)
		.map(([k, v]) => [k, ...v.map((s) => (KEYWORDS.has(s) ? `'${s}'` : s))].join(' '))
		.join('; ');

// Every fetch directive but those that govern scripts, each as the page's policy has it (or its
// default-src): what a header can carry without the per-page hashes.
const NOT_SCRIPT_FETCH = ['child-src', 'connect-src', 'font-src', 'frame-src', 'img-src', 'manifest-src', 'media-src', 'object-src', 'style-src', 'worker-src'];

/**
 * The CSP header of pages (HTML) and of data files. A page is under two policies at once, this
 * header and its <meta> (a request must pass both), so the header must not block the inline
 * bootstrap script that only the meta's hashes allow: it leaves default-src and script-src to
 * the meta and restricts everything else as the meta does, adds what a <meta> cannot carry
 * (frame-ancestors), and forbids inline event handlers (script-src-attr 'none').
 * @param {boolean} embed
 */
function pagePolicy(embed) {
	/** @type {Record<string, string[]>} */
	const d = {};
	for (const k of NOT_SCRIPT_FETCH) d[k] = PAGE_CSP[k] ?? PAGE_CSP['default-src'];
	d['script-src-attr'] = ['none'];
	d['base-uri'] = PAGE_CSP['base-uri'];
	d['form-action'] = PAGE_CSP['form-action'];
	d['frame-ancestors'] = embed ? ['*'] : ['self'];
	return serialize(d);
}

/**
 * The CSP header of the built scripts, styles and engine files (/_app/immutable/): none of them
 * is a page with an inline script, so they get the whole policy. It matters for the DuckDB worker,
 * whose script's own header is the worker's policy: 'wasm-unsafe-eval' to compile the .wasm,
 * blob: to fetch it, 'self' for the Parquet files.
 */
const ASSET_CSP = serialize({ ...PAGE_CSP, 'frame-ancestors': ['self'] });

/** @param {string} pathname */
export const isEmbed = (pathname) => /^\/(?:(?:ru|kk)\/)?embed(?:\/|$)/.test(pathname);
/** @param {string} pathname */
export const isImmutable = (pathname) => pathname.startsWith('/_app/immutable/');

/** @param {string} pathname */
export function securityHeaders(pathname) {
	const embed = isEmbed(pathname);
	return {
		'Content-Security-Policy': isImmutable(pathname) ? ASSET_CSP : pagePolicy(embed),
		...(embed ? {} : { 'X-Frame-Options': 'SAMEORIGIN' }),
		'Referrer-Policy': 'no-referrer',
		'X-Content-Type-Options': 'nosniff',
		'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()'
	};
}

/** @param {string} pathname */
export const cacheControl = (pathname) => (isImmutable(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache');

/**
 * The Content-Type of every kind of file the site publishes, by extension (the build's files, the
 * data release, what the portal or a host may add). A test fails when build/ holds a kind of file
 * that is missing here; serve.mjs and every file in deploy/ take their types from this table.
 * @type {Record<string, string>}
 */
export const CONTENT_TYPES = {
	html: 'text/html; charset=utf-8',
	js: 'text/javascript; charset=utf-8',
	mjs: 'text/javascript; charset=utf-8',
	css: 'text/css; charset=utf-8',
	json: 'application/json',
	webmanifest: 'application/manifest+json',
	svg: 'image/svg+xml',
	png: 'image/png',
	ico: 'image/x-icon',
	woff2: 'font/woff2',
	woff: 'font/woff',
	wasm: 'application/wasm',
	parquet: 'application/vnd.apache.parquet',
	arrow: 'application/vnd.apache.arrow.file',
	csv: 'text/csv; charset=utf-8',
	md: 'text/markdown; charset=utf-8',
	txt: 'text/plain; charset=utf-8',
	xml: 'application/xml',
	cff: 'application/yaml',
	zip: 'application/zip'
};

/**
 * The Content-Type for a request path: by its extension; a path without one is a page
 * (/allegations/ is /allegations/index.html). Unknown extensions are served as bytes.
 * @param {string} pathname
 */
export function contentType(pathname) {
	const m = /\.([a-z0-9]+)$/i.exec(pathname.slice(pathname.lastIndexOf('/') + 1));
	if (!m) return CONTENT_TYPES.html;
	return Object.hasOwn(CONTENT_TYPES, m[1].toLowerCase()) ? CONTENT_TYPES[m[1].toLowerCase()] : 'application/octet-stream';
}
