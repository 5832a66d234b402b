import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONTENT_TYPES, cacheControl, securityHeaders } from '../../scripts/headers.mjs';

/*
 * The header files in deploy/ read the way each host documents its format, then asked what
 * headers a request for each kind of path gets: the answer must be scripts/headers.mjs's (what
 * scripts/serve.mjs sends and the browser tests check). The nginx file is run for real by the
 * browser tests (project "nginx").
 *
 * - Netlify _headers (docs.netlify.com/manage/routing/headers): a path line starting with "/",
 *   then indented "Name: value" lines; "*" matches anything (also inside a segment, as
 *   Netlify's parser in netlify/build reads it), ":name" one segment; a trailing slash is
 *   optional; matching rules apply in order, a later value replacing an earlier one.
 * - Cloudflare Pages _headers (developers.cloudflare.com/pages/configuration/headers): the same
 *   blocks; at most 100 rules, 2,000 characters a line, one splat "*" a rule; "! Name" detaches a
 *   header set by an earlier matching rule; values of a header set by several matching rules are
 *   joined with ", ".
 * - Vercel vercel.json (vercel.com/docs/project-configuration/vercel-json#headers): "headers"
 *   entries { source, headers: [{ key, value }] } (at most 2,048, source at most 4,096 characters,
 *   at most 1,024 headers each); source is a path-to-regexp pattern, whole path, case-sensitive;
 *   a later matching entry's value replaces an earlier one.
 */

const DEPLOY = path.resolve('deploy');
type Headers = Record<string, string>;

/** Lines of a _headers file: [path, [name, value | null (detach)][]] blocks, or the first error. */
function parseHeadersFile(text: string, opts: { detach: boolean }) {
	const rules: { path: string; set: [string, string][]; unset: string[] }[] = [];
	const errors: string[] = [];
	text.split('\n').forEach((raw, i) => {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) return;
		if (line.startsWith('/')) {
			if (raw !== line) errors.push(`line ${i + 1}: a path is not indented`);
			rules.push({ path: line, set: [], unset: [] });
			return;
		}
		if (raw === line) errors.push(`line ${i + 1}: a header line is indented`);
		const rule = rules.at(-1);
		if (!rule) return void errors.push(`line ${i + 1}: header before any path`);
		if (opts.detach && /^! \S+$/.test(line)) return void rule.unset.push(line.slice(2));
		const m = /^([^:\s]+):\s*(.*)$/.exec(line);
		if (!m || m[2] === '') return void errors.push(`line ${i + 1}: not "Name: value"`);
		rule.set.push([m[1], m[2]]);
	});
	for (const r of rules) if (r.set.length + r.unset.length === 0) errors.push(`${r.path}: no headers`);
	return { rules, errors };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function netlifyPattern(p: string) {
	const parts = p.split('/').filter(Boolean).map((part) => {
		if (part.startsWith(':')) return '[^/]+';
		if (part === '*') return '?.*';
		// Netlify's parser puts ".*" for the "*" and leaves the rest of such a segment as it is.
		if (part.includes('*')) return part.replaceAll('*', '.*');
		return escapeRe(part);
	});
	return new RegExp(`^/${parts.join('/')}/?$`, 'i');
}

function cloudflarePattern(p: string) {
	return new RegExp('^' + p.split('*').map(escapeRe).join('.*').replace(/:[A-Za-z]\w*/g, '[^/]+') + '$');
}

/** path-to-regexp (version 6, as Vercel uses it) for what a source may hold: text, \-escapes, (groups), :names. */
function vercelPattern(source: string) {
	let re = '';
	for (let i = 0; i < source.length; ) {
		const c = source[i];
		if (c === '\\') {
			re += escapeRe(source[i + 1]);
			i += 2;
		} else if (c === '(') {
			let depth = 1;
			let j = i + 1;
			if (source[j] === '?') throw new Error(`${source}: a pattern cannot start with "?"`);
			for (; j < source.length && depth > 0; j++) {
				if (source[j] === '\\') j++;
				else if (source[j] === '(') {
					if (source[j + 1] !== '?') throw new Error(`${source}: capturing groups are not allowed inside a pattern`);
					depth++;
				} else if (source[j] === ')') depth--;
			}
			if (depth) throw new Error(`${source}: unbalanced pattern`);
			re += source.slice(i, j);
			i = j;
		} else if (c === ':') {
			const name = /^:(\w+)/.exec(source.slice(i));
			if (!name) throw new Error(`${source}: missing parameter name`);
			re += '([^\\/#\\?]+?)';
			i += name[0].length;
		} else if ('*+?'.includes(c)) {
			throw new Error(`${source}: a modifier outside what these files use`);
		} else {
			re += escapeRe(c);
			i++;
		}
	}
	return new RegExp(`^${re}$`);
}

/** What each host sends for a request path, by its documented rules. */
const HOSTS: Record<string, (pathname: string) => Headers> = {
	netlify(pathname) {
		const { rules, errors } = parseHeadersFile(readFileSync(path.join(DEPLOY, '_headers'), 'utf8'), { detach: false });
		expect(errors).toEqual([]);
		const out: Headers = {};
		for (const r of rules) if (netlifyPattern(r.path).test(pathname)) for (const [k, v] of r.set) out[k.toLowerCase()] = v;
		return out;
	},
	cloudflare(pathname) {
		const text = readFileSync(path.join(DEPLOY, 'cloudflare-pages', '_headers'), 'utf8');
		const { rules, errors } = parseHeadersFile(text, { detach: true });
		expect(errors).toEqual([]);
		expect(rules.length).toBeLessThanOrEqual(100);
		expect(text.split('\n').filter((l) => l.length > 2000)).toEqual([]);
		expect(rules.filter((r) => r.path.split('*').length > 2).map((r) => r.path)).toEqual([]);
		const out: Headers = {};
		for (const r of rules) {
			if (!cloudflarePattern(r.path).test(pathname)) continue;
			for (const k of r.unset) delete out[k.toLowerCase()];
			for (const [k, v] of r.set) out[k.toLowerCase()] = out[k.toLowerCase()] === undefined ? v : `${out[k.toLowerCase()]}, ${v}`;
		}
		return out;
	},
	vercel(pathname) {
		const config = JSON.parse(readFileSync(path.join(DEPLOY, 'vercel.json'), 'utf8')) as {
			headers: { source: string; headers: { key: string; value: string }[] }[];
		};
		expect(Object.keys(config).sort()).toEqual(['headers', 'trailingSlash']);
		expect(config.headers.length).toBeLessThanOrEqual(2048);
		const out: Headers = {};
		for (const entry of config.headers) {
			expect(Object.keys(entry).sort()).toEqual(['headers', 'source']);
			expect(entry.source.startsWith('/') && entry.source.length <= 4096, entry.source).toBe(true);
			expect(entry.headers.length).toBeGreaterThan(0);
			expect(entry.headers.length).toBeLessThanOrEqual(1024);
			for (const h of entry.headers) {
				expect(Object.keys(h).sort()).toEqual(['key', 'value']);
				expect(h.key.length <= 4096 && h.value.length <= 32768).toBe(true);
			}
			if (vercelPattern(entry.source).test(pathname)) for (const h of entry.headers) out[h.key.toLowerCase()] = h.value;
		}
		return out;
	}
};

/** Request paths of every kind, with the headers scripts/headers.mjs gives them. */
const PAGES = ['/', '/allegations/', '/regions/KZ-75/', '/ru/data/sql/', '/kk/'];
const EMBEDS = ['/embed/allegations-by-year/', '/ru/embed/allegations-by-year/', '/kk/embed/dashboard/overview/'];
const ASSETS = ['/_app/immutable/entry/start.DT4Ak86k.js', '/_app/immutable/assets/duckdb-browser-eh.worker.DrIFGUaA.js', '/_app/immutable/assets/0.CDBRNAyX.css'];
const FILES = Object.keys(CONTENT_TYPES).map((ext) => (ext === 'html' ? '/data/index.html' : `/data/some-file.${ext}`));

function expected(pathname: string): Headers {
	const out: Headers = {};
	for (const [k, v] of Object.entries(securityHeaders(pathname))) out[k.toLowerCase()] = v;
	if (pathname.startsWith('/_app/immutable/')) out['cache-control'] = cacheControl(pathname);
	return out;
}

describe.each(Object.keys(HOSTS))('deploy file for %s', (host) => {
	const headersFor = HOSTS[host];

	it.each([...PAGES, ...EMBEDS, ...ASSETS, ...FILES])('%s gets the security headers of scripts/headers.mjs', (pathname) => {
		const got = headersFor(pathname);
		const want = expected(pathname);
		if (host === 'netlify' && EMBEDS.includes(pathname)) {
			// Netlify cannot remove a header set by a wider rule: the site-wide X-Frame-Options stays,
			// and browsers ignore it because the CSP has frame-ancestors (which allows every origin here).
			expect(got['x-frame-options']).toBe('SAMEORIGIN');
			expect(got['content-security-policy']).toMatch(/(^|; )frame-ancestors \*$/);
			delete got['x-frame-options'];
		}
		const { 'content-type': _type, ...rest } = got;
		expect(rest).toEqual(want);
	});

	it.each(Object.entries(CONTENT_TYPES).filter(([ext]) => ext !== 'html'))('a .%s file is sent as %s; a page keeps the host\'s HTML type', (ext, type) => {
		for (const dir of ['/', '/data/', '/_app/immutable/assets/', '/embed/x/']) expect(headersFor(`${dir}file.${ext}`)['content-type'], dir).toBe(type);
		for (const page of [...PAGES, ...EMBEDS]) expect(headersFor(page)['content-type'], page).toBeUndefined();
	});
});

describe('the files in deploy/', () => {
	it('are what scripts/deploy-headers.mjs writes from scripts/headers.mjs (regenerate them after a change)', () => {
		const out = mkdtempSync(path.join(tmpdir(), 'deploy-'));
		try {
			execFileSync(process.execPath, ['scripts/deploy-headers.mjs', out], { stdio: 'pipe' });
			const list = (dir: string): string[] =>
				readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
			expect(list(DEPLOY).sort()).toEqual(list(out).sort());
			for (const f of list(out)) expect(readFileSync(path.join(DEPLOY, f), 'utf8'), f).toBe(readFileSync(path.join(out, f), 'utf8'));
		} finally {
			rmSync(out, { recursive: true, force: true });
		}
	});

	it('nginx.conf gives every kind of file its Content-Type in the server MIME map', () => {
		const conf = readFileSync(path.join(DEPLOY, 'nginx.conf'), 'utf8');
		const block = /^types \{\n([\s\S]*?)\n\}$/m.exec(conf);
		expect(block).not.toBeNull();
		const map = Object.fromEntries(block![1].split('\n').map((l) => /^\s+"([^"]+)" (\w+);$/.exec(l)!).map((m) => [m[2], m[1]]));
		expect(map).toEqual(CONTENT_TYPES);
	});
});
