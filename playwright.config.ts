import { defineConfig } from '@playwright/test';

// Debian's Chromium (apt-get install chromium); Playwright cannot download browsers here.
const PORT = Number(process.env.E2E_PORT ?? 4174);

export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 60_000,
	expect: { timeout: 15_000 },
	fullyParallel: true,
	workers: process.env.CI ? 2 : undefined,
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://localhost:${PORT}`,
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
	webServer: {
		// Serves build/ as deployed (precompressed files, range requests, security headers).
		// Never reuse a server: one started before the last build answers 404 for new hashed files.
		command: `node scripts/serve.mjs`,
		env: { PORT: String(PORT) },
		url: `http://localhost:${PORT}/`,
		reuseExistingServer: false,
		timeout: 30_000
	}
});
