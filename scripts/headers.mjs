// The response headers the site needs, in one place: used by scripts/serve.mjs and written into
// the files for static hosts (deploy/).
// Embeds (/embed/...) may be framed by any origin; every other page only by the site itself.

const CSP_BASE = [
	"default-src 'self'",
	// SvelteKit's prerendered pages start with an inline bootstrap script.
	"script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
	"style-src 'self' 'unsafe-inline'",
	"img-src 'self' data: blob:",
	"font-src 'self'",
	"connect-src 'self' blob:",
	"worker-src 'self' blob:",
	"object-src 'none'",
	"base-uri 'self'",
	"form-action 'self'"
];

/** @param {string} pathname */
export const isEmbed = (pathname) => /^\/(?:(?:ru|kk)\/)?embed(?:\/|$)/.test(pathname);
/** @param {string} pathname */
export const isImmutable = (pathname) => pathname.startsWith('/_app/immutable/');

/** @param {string} pathname */
export function securityHeaders(pathname) {
	const embed = isEmbed(pathname);
	return {
		'Content-Security-Policy': [...CSP_BASE, embed ? 'frame-ancestors *' : "frame-ancestors 'self'"].join('; '),
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
