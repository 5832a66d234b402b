import { test, expect } from './fixtures';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONTENT_TYPES, cacheControl, securityHeaders } from '../../scripts/headers.mjs';
import { independentQuery, otherOriginHost, readChartTable, recordRequests, skipWithoutServer, watchCsp } from './helpers';

/*
 * What a host must do for the site, checked against each server that serves build/: project
 * "serve" (scripts/serve.mjs) and project "nginx" (Debian's nginx with deploy/nginx.conf included
 * in its server block, see scripts/serve-nginx.mjs). The header values are scripts/headers.mjs's.
 */

test.beforeEach(({}, info) => skipWithoutServer(info));

const BUILD = path.resolve('build');

function* walk(dir: string): Generator<string> {
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) yield* walk(p);
		else yield p;
	}
}

const urlOf = (file: string) => '/' + path.relative(BUILD, file).split(path.sep).join('/');
const extOf = (file: string) => path.extname(file).slice(1).toLowerCase();
const ENCODED = /\.(br|gz)$/;

/** One file of each kind in build/ (the first by name), beside the precompressed ones. */
function samples() {
	const files = [...walk(BUILD)].sort();
	const byExt = new Map<string, string>();
	for (const f of files) if (!ENCODED.test(f) && !byExt.has(extOf(f))) byExt.set(extOf(f), f);
	return { files, byExt };
}

/** The header values a response must carry for `url` (names in lower case, as Playwright gives them). */
function expectedHeaders(url: string, type: string) {
	const want: Record<string, string | undefined> = { 'content-type': type, 'cache-control': cacheControl(url), 'x-frame-options': undefined };
	for (const [k, v] of Object.entries(securityHeaders(url))) want[k.toLowerCase()] = v;
	return want;
}

function pick(headers: Record<string, string>, names: string[]) {
	return Object.fromEntries(names.map((n) => [n, headers[n]]));
}

test('every kind of file in build/ is served whole with its Content-Type, the security headers and its cache policy', async ({ request }) => {
	const { byExt } = samples();
	// A kind of file without an entry in scripts/headers.mjs would get whatever a host guesses.
	expect([...byExt.keys()].filter((ext) => !Object.hasOwn(CONTENT_TYPES, ext))).toEqual([]);
	const urls = new Map([...byExt].map(([ext, file]) => [urlOf(file), { file, type: CONTENT_TYPES[ext] }]));
	// Pages are asked for by their folder, the way links and readers do.
	for (const page of ['/', '/allegations/', '/kk/data/sql/', '/embed/allegations-by-year/', '/ru/embed/dashboard/overview/'])
		urls.set(page, { file: path.join(BUILD, page, 'index.html'), type: CONTENT_TYPES.html });
	for (const [url, { file, type }] of urls) {
		const res = await request.get(url, { headers: { 'Accept-Encoding': 'identity' } });
		expect(res.status(), url).toBe(200);
		const want = expectedHeaders(url, type);
		expect(pick(res.headers(), Object.keys(want)), url).toEqual(want);
		expect(res.headers()['content-encoding'], url).toBeUndefined();
		expect((await res.body()).equals(readFileSync(file)), `${url} is the file`).toBe(true);
	}
});

for (const encoding of ['br', 'gzip'] as const) {
	test(`the precompressed .${encoding === 'br' ? 'br' : 'gz'} files are sent to browsers that take ${encoding}, with Vary: Accept-Encoding`, async ({ request }, info) => {
		const meta = info.project.metadata as { brotli: boolean; required: boolean };
		// nginx serves .br only with ngx_brotli's static module; CI installs it (and fails without it).
		test.skip(encoding === 'br' && !meta.brotli && !meta.required, 'ngx_brotli is not installed on this machine: the .br check is skipped (CI installs it and runs it)');
		const suffix = encoding === 'br' ? '.br' : '.gz';
		const { files } = samples();
		const have = new Set(files);
		// One precompressed file of each kind, and a page by its folder.
		const kinds = new Map<string, string>();
		for (const f of files) if (!ENCODED.test(f) && have.has(f + suffix) && !kinds.has(extOf(f))) kinds.set(extOf(f), urlOf(f));
		expect([...kinds.keys()].sort()).toEqual(expect.arrayContaining(['arrow', 'css', 'html', 'js', 'json', 'wasm']));
		kinds.set('page', '/conditions/');
		for (const [ext, url] of kinds) {
			const file = path.join(BUILD, url.endsWith('/') ? url + 'index.html' : url);
			const res = await request.get(url, { headers: { 'Accept-Encoding': encoding } });
			expect(res.status(), url).toBe(200);
			const h = res.headers();
			expect(h['content-encoding'], url).toBe(encoding);
			expect(h['vary']?.toLowerCase(), url).toContain('accept-encoding');
			expect(h['content-type'], url).toBe(CONTENT_TYPES[ext === 'page' ? 'html' : ext]);
			expect(h['content-security-policy'], url).toBe(securityHeaders(url)['Content-Security-Policy']);
			// What was sent is the precompressed file (its length), and it decodes to the file.
			expect(Number(h['content-length']), url).toBe(statSync(file + suffix).size);
			expect((await res.body()).equals(readFileSync(file)), `${url} decodes to the file`).toBe(true);
		}
	});
}

test('Parquet is read in ranges: HEAD gives the size, a range request gives 206 and exactly those bytes', async ({ request }) => {
	const url = '/data/allegations.parquet';
	const bytes = readFileSync(path.join(BUILD, url));
	const head = await request.head(url);
	expect(head.status()).toBe(200);
	expect(Number(head.headers()['content-length'])).toBe(bytes.length);
	expect(head.headers()['content-type']).toBe(CONTENT_TYPES.parquet);
	for (const [start, end] of [
		[0, 3],
		[bytes.length - 8, bytes.length - 1],
		[1000, 5999]
	]) {
		// As the browser asks (it offers compression; Parquet is never sent compressed).
		const res = await request.get(url, { headers: { Range: `bytes=${start}-${end}`, 'Accept-Encoding': 'gzip, br' } });
		expect(res.status()).toBe(206);
		expect(res.headers()['content-range']).toBe(`bytes ${start}-${end}/${bytes.length}`);
		expect(res.headers()['content-type']).toBe(CONTENT_TYPES.parquet);
		expect(res.headers()['content-encoding']).toBeUndefined();
		expect((await res.body()).equals(bytes.subarray(start, end + 1))).toBe(true);
	}
	// The magic number at both ends, read over the wire.
	expect((await (await request.get(url, { headers: { Range: 'bytes=0-3' } })).body()).toString()).toBe('PAR1');
});

test('the site loads under its policy and a chart answers a filter change', async ({ page, baseURL }) => {
	const violations = await watchCsp(page, baseURL!);
	const requests = recordRequests(page, baseURL!);
	await page.goto('/');
	await expect(page.locator('[data-engine="live"]')).toBeVisible({ timeout: 40_000 });
	await page.locator('[data-filter="ftype"] summary').click();
	await page.locator('[data-filter="ftype"] input[value="ivs"]').check();
	await expect(page).toHaveURL(/ftype=ivs/);
	const [span] = await independentQuery<{ first: number; last: number }>('SELECT min(report_year)::INTEGER AS first, max(report_year)::INTEGER AS last FROM allegations');
	const rows = await independentQuery<{ year: number; n: number }>(
		`SELECT report_year::INTEGER AS year, count(*)::INTEGER AS n FROM allegations WHERE facility_type = 'ivs' GROUP BY 1 ORDER BY 1`
	);
	const byYear = new Map(rows.map((r) => [r.year, r.n]));
	const want = Array.from({ length: span.last - span.first + 1 }, (_, i) => [span.first + i, byYear.get(span.first + i) ?? 0]);
	await expect.poll(async () => (await readChartTable(page, 'allegations-by-year')).map((r) => [Number(r.year), Number(r.national)])).toEqual(want);
	expect(await violations()).toEqual([]);
	expect(requests.foreign()).toEqual([]);
});

test('another origin can frame an embed, which answers; it cannot frame any other page', async ({ page, baseURL, request }, info) => {
	test.skip(info.project.name === 'serve', 'for serve.mjs, embed.spec.ts frames the site from its other-origin host page');
	const refusals: string[] = [];
	page.on('console', (m) => {
		if (/frame-ancestors/.test(m.text())) refusals.push(m.text());
	});
	const embed = `${baseURL}/embed/dashboard/overview/?ftype=sizo&v=1`;
	const portal = `${baseURL}/data/`;
	// The page refused below exists: it is the portal, served to a reader who opens it.
	const direct = await request.get(portal);
	expect(direct.status()).toBe(200);
	expect(await direct.text()).toContain('data-filtered-download');
	const host = await otherOriginHost(
		`<script>window.__loaded = [];</script>
<iframe id="embed" title="Embed" src="${embed}" width="900" height="600" onload="__loaded.push(this.id)"></iframe>
<iframe id="page" title="Page" src="${portal}" width="900" height="600" onload="__loaded.push(this.id)"></iframe>`
	);
	try {
		await page.goto(host.url);
		// Both frames finished loading: the embed with its content, the portal with the browser's refusal.
		await expect.poll(() => page.evaluate(() => (window as unknown as { __loaded: string[] }).__loaded.sort())).toEqual(['embed', 'page']);
		const framed = page.frameLocator('#embed');
		// Every chart of the dashboard answered from the engine in the frame.
		await expect(framed.locator('[data-engine="live"]').first()).toBeVisible({ timeout: 40_000 });
		await expect(framed.locator('[data-engine]:not([data-engine="live"])')).toHaveCount(0);
		await expect(framed.locator('[data-chart="allegations-by-year"] svg path.main')).toHaveCount(1);
		const refused = await (await page.locator('#page').elementHandle())!.contentFrame();
		expect(refused!.url()).toBe('chrome-error://chromewebdata/');
		await expect.poll(() => refusals).toEqual([expect.stringContaining(`Framing '${baseURL}/' violates the following Content Security Policy directive: "frame-ancestors 'self'"`)]);
	} finally {
		await host.close();
	}
});
