// Serves build/ as a static host would: precompressed .br/.gz, range requests (DuckDB reads
// Parquet in ranges), and the security headers documented in deploy/ (pages may not be framed by
// other origins, except /embed/). PORT and HOST may be set; defaults http://localhost:4173.
import http from 'node:http';
import path from 'node:path';
import { existsSync } from 'node:fs';
import sirv from 'sirv';
import { securityHeaders } from './headers.mjs';

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
	setHeaders(res, pathname) {
		if (pathname.startsWith('/_app/immutable/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
		else res.setHeader('Cache-Control', 'no-cache');
	}
});

const server = http.createServer((req, res) => {
	const url = new URL(req.url ?? '/', 'http://x');
	for (const [k, v] of Object.entries(securityHeaders(url.pathname))) res.setHeader(k, v);
	assets(req, res, () => {
		res.statusCode = 404;
		res.setHeader('Content-Type', 'text/plain; charset=utf-8');
		res.end('Not found');
	});
});
server.listen(port, host, () => {
	console.log(`\n  Detention Monitoring Kazakhstan is served at http://${host}:${port}/  (Ctrl+C to stop)\n`);
});
