// Serves build/ as a static host would: precompressed .br/.gz, range requests (DuckDB reads
// Parquet in ranges), the Content-Type of every kind of file and the security headers documented
// in deploy/ (pages may not be framed by other origins, except /embed/), all from
// scripts/headers.mjs. PORT and HOST may be set; defaults http://localhost:4173.
import http from 'node:http';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import sirv from 'sirv';
import { cacheControl, contentType, securityHeaders } from './headers.mjs';

const dir = path.resolve(process.argv[2] ?? 'build');
const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? 'localhost';
if (!existsSync(path.join(dir, 'index.html'))) {
	console.error(`serve: ${dir}/index.html not found. Run "npm run build" first.`);
	process.exit(1);
}

const assets = sirv(dir, {
	gzip: true,
	brotli: true,
	etag: true,
	// sirv's own table has no .parquet (it sent an empty Content-Type) and differs from the hosts'.
	setHeaders(res, pathname) {
		res.setHeader('Cache-Control', cacheControl(pathname));
		res.setHeader('Content-Type', contentType(pathname));
	}
});

/**
 * The "page not found" page for an address with nothing there, in the language of its prefix
 * (build/ru/404.html for /ru/...), as deploy/nginx.conf does.
 */
function notFoundPage(pathname) {
	const lang = /^\/(ru|kk)(\/|$)/.exec(pathname)?.[1];
	return lang ? `/${lang}/404.html` : '/404.html';
}

const server = http.createServer((req, res) => {
	const url = new URL(req.url ?? '/', 'http://x');
	for (const [k, v] of Object.entries(securityHeaders(url.pathname))) res.setHeader(k, v);
	assets(req, res, () => {
		res.statusCode = 404;
		const page = notFoundPage(url.pathname);
		const file = path.join(dir, page);
		if (existsSync(file)) {
			res.setHeader('Content-Type', contentType(page));
			res.setHeader('Cache-Control', cacheControl(page));
			res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
			return;
		}
		res.setHeader('Content-Type', 'text/plain; charset=utf-8');
		res.end('Not found');
	});
});
server.listen(port, host, () => {
	console.log(`\n  Detention Monitoring Kazakhstan is served at http://${host}:${port}/  (Ctrl+C to stop)\n`);
});
