/**
 * Offline use (src/service-worker.ts): the pure parts, against independent expectations. Range
 * answers are checked against slices of a known byte sequence as RFC 9110 defines them; the plan
 * against the build's real lists (build/ when present) and the release key against a hash
 * computed here from the files.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { contentRange, parseRange, rangeAnswer } from '../../src/lib/offline/range';
import { EH_PROBE, appCacheName, cacheKey, dataCacheName, engineFor, isEmbedPath, notFoundPage, offlinePlan, staleCaches } from '../../src/lib/offline/plan';
import { offlineKey } from '../../scripts/lib/offline-key.mjs';
import { cacheControl, contentType } from '../../scripts/headers.mjs';

const bytes = Uint8Array.from({ length: 100 }, (_, i) => (i * 7) % 256);

describe('range requests answered from a stored copy', () => {
	it('reads the forms of a single byte range', () => {
		expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
		expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
		expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
		expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
		// An end past the file is clipped to its last byte.
		expect(parseRange('bytes=95-1000', 100)).toEqual({ start: 95, end: 99 });
		expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
		expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
		// Whole file: absent, malformed, another unit, several ranges, end before start.
		for (const h of [null, '', 'bytes=', 'items=0-1', 'bytes=0-1,5-6', 'bytes=9-3', 'bytes=a-b']) expect(parseRange(h, 100)).toBeNull();
	});

	it('answers 206 with exactly the bytes asked and their Content-Range', () => {
		const a = rangeAnswer(bytes, 'application/vnd.apache.parquet', 'GET', 'bytes=10-19');
		expect(a.status).toBe(206);
		expect([...a.body!]).toEqual([...bytes].slice(10, 20));
		expect(a.headers['Content-Range']).toBe('bytes 10-19/100');
		expect(a.headers['Content-Length']).toBe('10');
		expect(a.headers['Content-Type']).toBe('application/vnd.apache.parquet');
		const tail = rangeAnswer(bytes, 'x', 'GET', 'bytes=-4');
		expect([...tail.body!]).toEqual([...bytes].slice(96));
		expect(tail.headers['Content-Range']).toBe('bytes 96-99/100');
	});

	it('answers HEAD with the size and no body, and 416 past the end', () => {
		const head = rangeAnswer(bytes, 'x', 'HEAD', null);
		expect(head).toMatchObject({ status: 200, body: null });
		expect(head.headers['Content-Length']).toBe('100');
		expect(head.headers['Accept-Ranges']).toBe('bytes');
		const headRange = rangeAnswer(bytes, 'x', 'HEAD', 'bytes=0-3');
		expect(headRange).toMatchObject({ status: 206, body: null });
		expect(headRange.headers['Content-Length']).toBe('4');
		const bad = rangeAnswer(bytes, 'x', 'GET', 'bytes=200-300');
		expect(bad.status).toBe(416);
		expect(bad.headers['Content-Range']).toBe('bytes */100');
		expect(contentRange({ start: 0, end: 0 }, 1)).toBe('bytes 0-0/1');
		const whole = rangeAnswer(bytes, 'x', 'GET', 'bytes=0-1,4-5');
		expect(whole.status).toBe(200);
		expect(whole.body!.byteLength).toBe(100);
	});
});

describe('what the worker keeps', () => {
	const build = ['/_app/immutable/entry/start.A.js', '/_app/immutable/assets/duckdb-eh.Bb.wasm', '/_app/immutable/assets/duckdb-mvp.IK.wasm', '/_app/immutable/assets/duckdb-browser-eh.worker.Dr.js'];
	const files = ['/favicon.svg', '/data/allegations.parquet', '/data/datapackage.json', '/data/rollups/manifest.json', '/data/releases/1.0.0/datapackage.json'];
	const prerendered = ['/', '/__data.json', '/ru/allegations/', '/kk/data/sql/', '/embed/allegations-by-year/', '/ru/embed/dashboard/overview/', '/404'];

	it('splits the build into app, release and engine, leaving out embeds and earlier releases', () => {
		const plan = offlinePlan(build, files, prerendered);
		expect(plan.app).toEqual(['/', '/404', '/__data.json', '/_app/immutable/assets/duckdb-browser-eh.worker.Dr.js', '/_app/immutable/entry/start.A.js', '/favicon.svg', '/kk/data/sql/', '/ru/allegations/']);
		expect(plan.data).toEqual(['/data/allegations.parquet', '/data/datapackage.json', '/data/rollups/manifest.json']);
		expect(plan.engine).toEqual({ eh: '/_app/immutable/assets/duckdb-eh.Bb.wasm', mvp: '/_app/immutable/assets/duckdb-mvp.IK.wasm' });
		expect(engineFor(plan.engine, true)).toBe(plan.engine.eh);
		expect(engineFor(plan.engine, false)).toBe(plan.engine.mvp);
	});

	it('names caches by build and by release, and drops only its own stale ones', () => {
		expect(appCacheName('123')).toBe('kzdm-app-123');
		expect(dataCacheName('1.2.0', 'abc')).toBe('kzdm-data-1.2.0-abc');
		const keep = ['kzdm-app-2', 'kzdm-data-1.1.0-k2', 'kzdm-engine'];
		expect(staleCaches(['kzdm-app-1', 'kzdm-app-2', 'kzdm-data-1.0.0-k1', 'kzdm-data-1.1.0-k2', 'kzdm-engine', 'someone-else'], keep)).toEqual(['kzdm-app-1', 'kzdm-data-1.0.0-k1']);
	});

	it('keys requests by path, and knows embeds and the 404 page of each language', () => {
		expect(cacheKey('http://h/allegations/?from=2019&region=KZ-75')).toBe('/allegations/');
		expect(cacheKey('http://h/ru/allegations/__data.json?x-sveltekit-invalidated=01')).toBe('/ru/allegations/__data.json');
		expect(isEmbedPath('/embed/x/')).toBe(true);
		expect(isEmbedPath('/kk/embed/x/')).toBe(true);
		expect(isEmbedPath('/embedded/')).toBe(false);
		expect(notFoundPage('/ru/nothing/here')).toBe('/ru/404');
		expect(notFoundPage('/kk')).toBe('/kk/404');
		expect(notFoundPage('/nothing')).toBe('/404');
	});

	it('probes WebAssembly exception handling with a module that differs from one without it only in the try block', () => {
		// Node 20+ supports exception handling: the probe validates. Replacing try/catch_all by
		// nops (0x01) gives a plain module, which validates everywhere; a broken probe validates nowhere.
		expect(WebAssembly.validate(EH_PROBE)).toBe(true);
		const plain = EH_PROBE.slice();
		plain.set([0x01, 0x01, 0x01, 0x01, 0x0b], EH_PROBE.length - 5);
		expect(WebAssembly.validate(plain)).toBe(true);
		const broken = EH_PROBE.slice(0, EH_PROBE.length - 1);
		expect(WebAssembly.validate(broken)).toBe(false);
	});
});

describe('the release key the worker is built with', () => {
	it('is the SHA-256 of datapackage.json, a newline and the rollup manifest, with the release version', () => {
		const pkg = readFileSync('static/data/datapackage.json');
		const manifest = readFileSync('static/data/rollups/manifest.json');
		const expected = createHash('sha256').update(Buffer.concat([pkg, Buffer.from('\n'), manifest])).digest('hex').slice(0, 16);
		expect(offlineKey('static/data')).toEqual({ release: JSON.parse(pkg.toString()).version, key: expected });
		expect(offlineKey('no/such/folder')).toBeNull();
	});
});

describe('how hosts send the worker', () => {
	it('is revalidated on every use (never cached long) and is a script', () => {
		expect(cacheControl('/service-worker.js')).toBe('no-cache');
		expect(contentType('/service-worker.js')).toBe('text/javascript; charset=utf-8');
		// deploy/nginx.conf: the worker falls to the `location /` block, whose Cache-Control is no-cache.
		const nginx = readFileSync('deploy/nginx.conf', 'utf8');
		const root = nginx.slice(nginx.indexOf('location / {'));
		expect(root).toMatch(/add_header Cache-Control "no-cache" always;/);
		expect(nginx).not.toMatch(/service-worker/);
	});
});
