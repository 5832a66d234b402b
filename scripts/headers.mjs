// The response headers the site needs, in one place: used by scripts/serve.mjs and written into
// the header files for static hosts (deploy/). Embeds (/embed/...) may be framed by any origin;
// every other page only by the site itself.
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
export function securityHeaders(pathname) {
	const embed = /^\/(?:(?:ru|kk)\/)?embed(?:\/|$)/.test(pathname);
	return {
		'Content-Security-Policy': [...CSP_BASE, embed ? 'frame-ancestors *' : "frame-ancestors 'self'"].join('; '),
		...(embed ? {} : { 'X-Frame-Options': 'SAMEORIGIN' }),
		'Referrer-Policy': 'no-referrer',
		'X-Content-Type-Options': 'nosniff',
		'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()'
	};
}
