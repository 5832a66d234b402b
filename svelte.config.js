import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Precompression is done by scripts/precompress.mjs with a cache, so the 40 MB of
		// DuckDB .wasm is compressed once per machine rather than on every build.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: undefined, precompress: false, strict: true }),
		prerender: {
			// The language switcher is a set of links, but list the locale roots so a
			// build can never silently hold English only.
			entries: ['*', '/ru/', '/kk/'],
			handleHttpError: 'fail'
		},
		alias: { $data: 'data' }
	}
};

export default config;
