import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { PAGE_CSP } from './scripts/headers.mjs';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	vitePlugin: {
		// Charts reach the single-chart embeds through a dynamic import (one chart's code per
		// embed), and SvelteKit inlines only the stylesheets of a page's static imports: the chart's
		// own styles would arrive with its JavaScript, after the first paint (and never without
		// JavaScript). Their styles therefore go with the components: the build writes them into
		// the page's <head>, and the browser adds a component's styles when it first mounts.
		dynamicCompileOptions({ filename }) {
			if (/[\\/]src[\\/]lib[\\/](charts|views|embed)[\\/]/.test(filename)) return { css: 'injected' };
		}
	},
	kit: {
		// Precompression is done by scripts/precompress.mjs with a cache, so the 40 MB of
		// DuckDB .wasm is compressed once per machine rather than on every build.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: undefined, precompress: false, strict: true }),
		prerender: {
			// The language switcher is a set of links, but list the locale roots so a
			// build can never silently hold English only. Nothing links to the "page not found"
			// pages: the hosts answer unknown addresses with them.
			entries: ['*', '/ru/', '/kk/', '/404', '/ru/404', '/kk/404'],
			handleHttpError: 'fail'
		},
		alias: { $data: 'data' },
		// src/service-worker.ts keeps the site for use offline. The layout registers it itself, in idle
		// time after the first load and never in embeds (src/lib/offline/register.ts); earlier releases
		// (static/data/releases/) are not part of the current one and are not listed to it.
		serviceWorker: { register: false, files: (file) => !file.startsWith('data/releases/') },
		// Addresses from the site's root (/_app/..., not ../_app/...): the "page not found" pages
		// are answered at any depth (/ru/a/b/c), where relative addresses would miss the files.
		paths: { relative: false },
		// Every stylesheet (all are a few KB) goes into the page's <style>: no render-blocking CSS
		// requests before first paint. style-src already allows inline styles (scripts/headers.mjs).
		inlineStyleThreshold: 16384,
		// Every prerendered page carries its policy in a <meta http-equiv>, with the sha256 hash of
		// its inline bootstrap script in script-src (no 'unsafe-inline'). The hosts' header policy
		// (scripts/headers.mjs) applies as well and leaves scripts to this one.
		csp: { mode: 'hash', directives: PAGE_CSP }
	}
};

export default config;
