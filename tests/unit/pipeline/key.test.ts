/**
 * The pseudonyms made in SQL (scripts/pipeline/key.ts) against the same constructions computed
 * here with Node's crypto: HMAC-SHA256 for facility, visit and recommendation ids (and allegation
 * ids of earlier releases), and SHA-256(K_r || code) with K_r = HMAC(key, 'allegation:' + release)
 * for allegation ids.
 */
import { createHash, createHmac } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { pseudonymMacroSql } from '../../../scripts/pipeline/key.ts';

const CODES = ['УИ-33/001', 'ЕРДР-2014000000001', 'c01', 'a much longer case code, past one SHA-256 block: ' + 'x'.repeat(80), ''];

async function sqlIds(key: Buffer, sql: (code: string) => string): Promise<string[]> {
	const db = await DuckDBInstance.create(':memory:');
	const conn = await db.connect();
	await conn.run(pseudonymMacroSql(key));
	const out: string[] = [];
	for (const code of CODES) {
		const r = await conn.runAndReadAll(`SELECT ${sql(`'${code.replace(/'/g, "''")}'`)} AS id`);
		out.push(String(r.getRows()[0][0]));
	}
	conn.closeSync();
	return out;
}

describe('pseudonyms', () => {
	for (const key of [Buffer.from('releases-key-0123456789abcdef'), Buffer.from('k'.repeat(100))]) {
		it(`pseudo() is HMAC-SHA256 (key of ${key.length} bytes)`, async () => {
			const want = CODES.map((c) => 'F-' + createHmac('sha256', key).update(`facility:${c}`).digest('hex').slice(0, 16));
			expect(await sqlIds(key, (c) => `pseudo('F-', 'facility', ${c})`)).toEqual(want);
		});

		it(`pseudo_a() is SHA-256 under the release's own key (key of ${key.length} bytes)`, async () => {
			const release = '0123456789abcdef';
			const kr = createHmac('sha256', key).update(`allegation:${release}`).digest();
			const want = CODES.map((c) => 'A-' + createHash('sha256').update(Buffer.concat([kr, Buffer.from(c, 'utf8')])).digest('hex').slice(0, 16));
			const got = await sqlIds(key, (c) => `pseudo_a('${release}', ${c})`);
			expect(got).toEqual(want);
			// Not the HMAC ids of earlier releases, and another release gives other ids.
			expect(got).not.toEqual(await sqlIds(key, (c) => `pseudo('A-', 'allegation:${release}', ${c})`));
			expect(got).not.toEqual(await sqlIds(key, (c) => `pseudo_a('fedcba9876543210', ${c})`));
		});
	}
});
