import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import path from 'node:path';
import { offlineKey } from './scripts/lib/offline-key.mjs';
import { intlCache } from './scripts/lib/intl-cache.mjs';

// The release the pages are built from and its data cache's key, for the service worker
// (src/service-worker.ts checks the files it stores against them; null before any release exists).
const offline = offlineKey(path.resolve(process.env.DATA_DIR ?? 'static/data'));

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['url', 'baseLocale']
		}),
		// Paraglide builds an Intl object per plural or number it renders; build each once.
		intlCache(),
		sveltekit()
	],
	// The address the site will be served from (for citations in the prerendered HTML); optional.
	define: {
		__SITE_URL__: JSON.stringify(process.env.SITE_URL ?? ''),
		__OFFLINE_RELEASE__: JSON.stringify(offline?.release ?? ''),
		__OFFLINE_DATA_KEY__: JSON.stringify(offline?.key ?? '')
	},
	// duckdb-wasm ships its own workers and .wasm; pre-bundling breaks their URLs.
	optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
	server: { port: 5173 },
	// PROFILE_BUILD=1: readable names in CPU profiles (not for deployment).
	build: process.env.PROFILE_BUILD ? { minify: false } : {},
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		// Two files at a time. Vitest's default in `run` is one worker fewer than the CPUs: on a 2-core
		// machine a single worker, so the files ran one after another (bad-inputs, privacy and releases
		// alone ~2 of the ~3.6 minutes). Each file still runs in its own process with its own temp folders.
		maxWorkers: 2,
		testTimeout: 60_000,
		hookTimeout: 120_000
	}
});
