/**
 * The pseudonym key. Ids in the release are HMAC-SHA256(key, kind + ":" + code), so nobody without
 * the key can link them back to facility or case codes, and the same key gives the same ids on every
 * run. The key comes from NPM_PSEUDONYM_KEY, or --key-file; if neither is set a random key is created
 * in data/generated/pseudonym.key, outside the output folder (never publish it).
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';

export const DEFAULT_KEY_FILE = 'data/generated/pseudonym.key';

export interface KeySource {
	key: Buffer;
	origin: string;
	created: boolean;
}

/** Decide where the key comes from without creating anything (creation waits for a valid input). */
export function planKey(keyFile: string | undefined): { env: string } | { file: string; mustExist: boolean } {
	const env = process.env.NPM_PSEUDONYM_KEY;
	if (env && !keyFile) return { env };
	if (keyFile) return { file: keyFile, mustExist: true };
	return { file: DEFAULT_KEY_FILE, mustExist: false };
}

function keyFromText(text: string): Buffer {
	const t = text.trim();
	if (t.length < 16) throw new Error('the pseudonym key is too short (expected at least 16 characters, e.g. 64 hex digits)');
	return Buffer.from(t, 'utf8');
}

export function loadKey(plan: ReturnType<typeof planKey>): KeySource {
	if ('env' in plan) return { key: keyFromText(plan.env), origin: 'environment variable NPM_PSEUDONYM_KEY', created: false };
	const path = resolve(plan.file);
	if (existsSync(path)) return { key: keyFromText(readFileSync(path, 'utf8')), origin: path, created: false };
	if (plan.mustExist) throw new Error(`key file ${path} does not exist (expected a file with the pseudonym key)`);
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
	return { key: keyFromText(readFileSync(path, 'utf8')), origin: path, created: true };
}

/** How allegation ids are made (published in disclosure.json as release.allegation_ids). */
export const ALLEGATION_ID_SCHEME = 'keyed-sha256';

/**
 * SQL macros:
 * - `pseudo(prefix, kind, value)`: HMAC-SHA256 built from DuckDB's sha256 (RFC 2104:
 *   H((K ^ opad) || H((K ^ ipad) || m))), truncated to 16 hex digits (64 bits: collisions are
 *   negligible even for 10 million rows). Facility, visit and recommendation ids (stable across
 *   releases), and allegation ids of releases made before `pseudo_a`.
 * - `pseudo_a(release, value)`: allegation ids, 'A-' + the first 16 hex digits of
 *   SHA-256(K_r || value), where K_r = HMAC-SHA256(key, 'allegation:' + release id) is a 32-byte
 *   key of the release's own (a constant of the query: DuckDB computes it once). A secret-prefix
 *   hash is a keyed pseudorandom function when its output is truncated (the length-extension
 *   weakness of SHA-256 needs the whole digest), and K_r + a case code fit one SHA-256 block, so it
 *   costs one block where HMAC costs four: 1.6 s instead of 6.1 s for 10 million ids on this
 *   project's 2-core machine. Allegation ids already differ between releases (keyed with the
 *   release id), so the cheaper scheme breaks no continuity; a previous release made with HMAC ids
 *   is still matched with `pseudo` (revisions.ts reads its scheme from disclosure.json).
 * Vectorised in DuckDB, both are far faster than a JS loop.
 */
export function pseudonymMacroSql(key: Buffer): string {
	let k = key.length > 64 ? createHash('sha256').update(key).digest() : key;
	const block = Buffer.alloc(64);
	k.copy(block);
	k = block;
	const ipad = Buffer.from(k.map((b) => b ^ 0x36)).toString('hex');
	const opad = Buffer.from(k.map((b) => b ^ 0x5c)).toString('hex');
	const hmac = (m: string) => `sha256(unhex('${opad}') || unhex(sha256(unhex('${ipad}') || encode(${m}))))`;
	return [
		`CREATE OR REPLACE MACRO pseudo(prefix, kind, v) AS prefix || substr(${hmac(`kind || ':' || v`)}, 1, 16)`,
		`CREATE OR REPLACE MACRO pseudo_a(release, v) AS 'A-' || substr(sha256(unhex(${hmac(`'allegation:' || release`)}) || encode(v)), 1, 16)`
	].join(';\n');
}

/**
 * SHA-256 over the input files (names and bytes, in name order), streamed. Allegation ids are keyed
 * with the release id made from it (revisions.ts) as well as with the key, so they are stable for the
 * same input and key but differ between releases built from different inputs: a value suppressed in
 * one release cannot be recovered by joining the row to another release in which it was not
 * suppressed, and a comparison of two releases cannot pair an old row with its corrected version.
 */
export async function inputDigest(paths: string[]): Promise<string> {
	const hash = createHash('sha256');
	for (const path of [...paths].sort((a, b) => basename(a).localeCompare(basename(b)))) {
		hash.update(`${basename(path)}\0`);
		for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
		hash.update('\0');
	}
	return hash.digest('hex').slice(0, 32);
}
