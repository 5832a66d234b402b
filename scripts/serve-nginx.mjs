// Serves build/ with nginx, set up the documented way (docs/deploy.md): a main configuration as
// Debian ships it (the standard MIME map included in http { }) and deploy/nginx.conf included in
// the server { } block whose root is build/. With ngx_brotli's static module installed it is
// loaded and `brotli_static on;` is added beside the include, as docs/deploy.md says. nginx runs
// in the foreground from a temporary prefix, which is removed when it stops (Ctrl+C).
// PORT may be set (default 4175); NGINX and NGINX_BROTLI_MODULE name the binary and the module.
// The browser tests (project "nginx" in playwright.config.ts) start it the same way.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The nginx binary, or undefined when nginx is not installed. */
export function nginxBinary() {
	const candidates = [process.env.NGINX, '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'];
	for (const c of candidates) if (c && existsSync(c)) return c;
	const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
	return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

/** ngx_brotli's static module (Debian: libnginx-mod-http-brotli-static), or undefined. */
export function brotliModule() {
	const candidates = [process.env.NGINX_BROTLI_MODULE, '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so', '/usr/share/nginx/modules/ngx_http_brotli_static_module.so'];
	return candidates.find((c) => c && existsSync(c));
}

/** The standard MIME map that a stock nginx.conf includes in http { }. */
function mimeTypes() {
	return ['/etc/nginx/mime.types', '/usr/local/etc/nginx/mime.types', '/usr/local/nginx/conf/mime.types'].find((p) => existsSync(p));
}

const hasIpv6Loopback = () => Object.values(networkInterfaces()).some((list) => list?.some((a) => a.internal && a.address === '::1'));

/**
 * The main configuration: http { include mime.types; server { root build/; include deploy/nginx.conf; } }.
 * @param {{ prefix: string, port: number, root: string, snippet: string, brotli?: string }} o
 */
export function mainConfig({ prefix, port, root, snippet, brotli }) {
	const mime = mimeTypes();
	const q = (p) => JSON.stringify(p);
	return [
		brotli ? `load_module ${q(brotli)};` : '',
		'daemon off;',
		'worker_processes 1;',
		`pid ${q(path.join(prefix, 'nginx.pid'))};`,
		'error_log stderr warn;',
		// Run as the user who started it (as root, nginx's workers would otherwise be "nobody").
		process.getuid?.() === 0 ? 'user root;' : '',
		'events { worker_connections 256; }',
		'http {',
		mime ? `    include ${q(mime)};` : '',
		'    default_type application/octet-stream;',
		'    sendfile on;',
		'    access_log off;',
		...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${q(path.join(prefix, t))};`),
		'    server {',
		// localhost on both loopback addresses where the machine has both (browsers try either).
		`        listen 127.0.0.1:${port};`,
		hasIpv6Loopback() ? `        listen [::1]:${port};` : '',
		'        server_name localhost;',
		`        root ${q(root)};`,
		`        include ${q(snippet)};`,
		brotli ? '        brotli_static on;' : '',
		'    }',
		'}',
		''
	]
		.filter((l) => l !== '')
		.join('\n');
}

const main = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (main) {
	const nginx = nginxBinary();
	if (!nginx) {
		console.error('serve-nginx: nginx is not installed (Debian: apt-get install nginx).');
		process.exit(1);
	}
	const root = path.resolve(process.argv[2] ?? 'build');
	if (!existsSync(path.join(root, 'index.html'))) {
		console.error(`serve-nginx: ${root}/index.html not found. Run "npm run build" first.`);
		process.exit(1);
	}
	const port = Number(process.env.PORT ?? 4175);
	const prefix = mkdtempSync(path.join(tmpdir(), 'kz-nginx-'));
	const brotli = brotliModule();
	const conf = path.join(prefix, 'nginx.conf');
	writeFileSync(conf, mainConfig({ prefix, port, root, snippet: path.resolve('deploy/nginx.conf'), brotli }));
	const child = spawn(nginx, ['-p', prefix, '-c', conf], { stdio: 'inherit' });
	const cleanup = () => rmSync(prefix, { recursive: true, force: true });
	// Stop nginx (fast shutdown) with this process, then remove the prefix.
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill('SIGTERM'));
	child.on('exit', (code) => {
		cleanup();
		process.exit(code ?? 0);
	});
	console.log(`\n  nginx ${brotli ? '(with brotli_static) ' : ''}serves ${path.relative(process.cwd(), root) || '.'} with deploy/nginx.conf at http://localhost:${port}/  (Ctrl+C to stop)\n`);
}
