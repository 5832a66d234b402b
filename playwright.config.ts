import { defineConfig } from '@playwright/test';
import { brotliModule, nginxBinary } from './scripts/serve-nginx.mjs';

// Debian's Chromium (apt-get install chromium); Playwright cannot download browsers here.
const PORT = Number(process.env.E2E_PORT ?? 4174);
// E2E_PORT + 1 is the embed spec's other-origin host page.
const NGINX_PORT = Number(process.env.E2E_NGINX_PORT ?? PORT + 2);

// The deploy checks also run against nginx serving build/ with deploy/nginx.conf (Debian's nginx;
// .ci/run installs it, with ngx_brotli's static module, and sets REQUIRE_NGINX). In CI a missing
// nginx is an error; elsewhere the nginx project's tests are skipped and say why.
const NGINX = nginxBinary();
const BROTLI = NGINX ? brotliModule() : undefined;
const REQUIRED = Boolean(process.env.CI || process.env.REQUIRE_NGINX);
if (REQUIRED && !NGINX) throw new Error('CI needs nginx for the deploy tests (.ci/run installs it with apt-get)');
// Said once, by the runner (not again by each worker): the skipped tests carry the same reason.
if (!NGINX && process.env.TEST_WORKER_INDEX === undefined)
	console.warn('nginx is not installed: the deploy tests against nginx (project "nginx") are skipped; CI installs nginx and runs them.');
/** The specs that check the site as a host serves it: run against serve.mjs and against nginx. */
const HOST_SPECS = /\/(host|csp|not-found)\.spec\.ts$/;

export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 60_000,
	expect: { timeout: 15_000 },
	fullyParallel: true,
	// Two workers everywhere (Playwright's default is half the cores: one on this 2-core machine kind,
	// which made `npm test` take 16 min of browser tests instead of about 6). The tests mostly wait on
	// the page, so two browsers share two cores well; E2E_WORKERS overrides.
	workers: Number(process.env.E2E_WORKERS ?? 2),
	reporter: [['list']],
	use: {
		baseURL: `http://localhost:${PORT}`,
		// The site registers a service worker (offline use), which answers from its own cache: requests
		// it answers are not seen by page.route, which many specs use to break or count files. Only
		// tests/e2e/offline.spec.ts allows it.
		serviceWorkers: 'block',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-quic'
			]
		}
	},
	projects: [
		{ name: 'serve', metadata: { server: 'serve.mjs', available: true, brotli: true, required: true } },
		{
			name: 'nginx',
			testMatch: HOST_SPECS,
			use: { baseURL: `http://localhost:${NGINX_PORT}` },
			metadata: { server: 'nginx', available: Boolean(NGINX), brotli: Boolean(BROTLI), required: REQUIRED }
		}
	],
	webServer: [
		{
			// Serves build/ as deployed (precompressed files, range requests, security headers).
			// Never reuse a server: one started before the last build answers 404 for new hashed files.
			command: `node scripts/serve.mjs`,
			env: { PORT: String(PORT) },
			url: `http://localhost:${PORT}/`,
			reuseExistingServer: false,
			timeout: 30_000
		},
		...(NGINX
			? [
					{
						// nginx in the foreground from a temporary prefix; SIGTERM stops it and removes the prefix.
						command: `node scripts/serve-nginx.mjs`,
						env: { PORT: String(NGINX_PORT) },
						url: `http://localhost:${NGINX_PORT}/`,
						reuseExistingServer: false,
						timeout: 30_000,
						gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 }
					}
				]
			: [])
	]
});
