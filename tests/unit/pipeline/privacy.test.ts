/**
 * Privacy, checked from the released files only, with SQL written here (independent of the
 * pipeline's own anonymisation code): k-anonymity and l-diversity of allegations, no direct
 * identifiers anywhere, and pseudonyms that depend on the key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { generate } from '../../../scripts/generate/index.ts';
import { cleanupTempDirs, parquet, RELEASED, ROOT, runIngest, tempDir, wasmRows, writeKey } from './helpers.ts';

const K = 5;
const KEY_A = 'privacy-key-A-0123456789abcdef';
const KEY_B = 'privacy-key-B-fedcba9876543210';
let raw: string;
let outA: string;
let outA2: string;
let outB: string;

const QI = ['region_code', 'facility_type', 'report_year', 'report_quarter', 'victim_sex', 'victim_age_band'];

/** Text of a raw file, whatever its encoding. */
function rawText(name: string): string {
	const bytes = readFileSync(join(raw, name));
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return iconv.decode(bytes, 'win1251');
	}
}

/** Split one CSV line (quotes with doubled quotes; no line breaks inside fields in these files). */
function splitCsvLine(line: string): string[] {
	const cells: string[] = [];
	let cur = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (quoted) {
			if (ch === '"' && line[i + 1] === '"') {
				cur += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else cur += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			cells.push(cur);
			cur = '';
		} else cur += ch;
	}
	cells.push(cur.replace(/\r$/, ''));
	return cells;
}

beforeAll(async () => {
	raw = tempDir('privacy-raw-');
	await generate({ seed: 23, scale: 0.05, out: raw, quiet: true });
	const keyDir = tempDir();
	const keyA = writeKey(keyDir, KEY_A);
	outA = join(tempDir(), 'a');
	outA2 = join(tempDir(), 'a2');
	outB = join(tempDir(), 'b');
	for (const [out, keyFile] of [
		[outA, keyA],
		[outA2, keyA]
	]) {
		const r = await runIngest({ input: raw, out, keyFile, k: K });
		expect(r.ok).toBe(true);
	}
	const saved = process.env.NPM_PSEUDONYM_KEY;
	process.env.NPM_PSEUDONYM_KEY = KEY_B; // the other way to give a key
	try {
		expect((await runIngest({ input: raw, out: outB, k: K })).ok).toBe(true);
	} finally {
		if (saved === undefined) delete process.env.NPM_PSEUDONYM_KEY;
		else process.env.NPM_PSEUDONYM_KEY = saved;
	}
}, 600_000); // generous: shared CI machines can be slow

afterAll(() => cleanupTempDirs());

describe('allegations are k-anonymous and l-diverse', () => {
	it(`every combination of quasi-identifiers (NULL included) occurs at least k=${K} times`, async () => {
		const rows = await wasmRows(`SELECT min(n) AS smallest, count(*) AS classes FROM (SELECT ${QI.join(', ')}, count(*) AS n FROM ${parquet(outA, 'allegations')} GROUP BY ${QI.join(', ')})`);
		expect(rows[0].smallest).toBeGreaterThanOrEqual(K);
		expect(rows[0].classes).toBeGreaterThan(1);
	});

	it('no class is homogeneous in allegation_type', async () => {
		const rows = await wasmRows(`SELECT count(*) AS homogeneous FROM (SELECT ${QI.join(', ')}, count(DISTINCT allegation_type) AS d FROM ${parquet(outA, 'allegations')} GROUP BY ${QI.join(', ')}) WHERE d < 2`);
		expect(rows[0].homogeneous).toBe(0);
	});

	it('also holds with a stricter k', async () => {
		const out = join(tempDir(), 'k10');
		expect((await runIngest({ input: raw, out, keyFile: writeKey(tempDir(), KEY_A), k: 10 })).ok).toBe(true);
		const rows = await wasmRows(`SELECT min(n) AS smallest FROM (SELECT ${QI.join(', ')}, count(*) AS n FROM ${parquet(out, 'allegations')} GROUP BY ALL)`);
		expect(rows[0].smallest).toBeGreaterThanOrEqual(10);
	}, 300_000);

	it('report_quarter is 1-4 or NULL, age bands and sexes are codes', async () => {
		const rows = await wasmRows(`SELECT count(*) FILTER (WHERE report_quarter NOT BETWEEN 1 AND 4) AS bad_q,
			count(*) FILTER (WHERE victim_age_band NOT IN ('under_18','18_24','25_34','35_49','50_plus','unknown','18_34','35_plus','18_plus')) AS bad_age,
			count(*) FILTER (WHERE victim_sex NOT IN ('male','female','unknown')) AS bad_sex FROM ${parquet(outA, 'allegations')}`);
		expect(rows[0]).toEqual({ bad_q: 0, bad_age: 0, bad_sex: 0 });
	});
});

describe('no direct identifiers in the release', () => {
	const ALLOWED_COLUMNS = /^(region_code|name_en|name_ru|name_kk|kind|predecessor|year|residents|detainees|facility_id|facility_type|authority|security_level|capacity_band|visit_id|visit_month|visit_type|body|team_size|detainees_present|indicator|value|meets_standard|allegation_id|report_year|report_quarter|channel|allegation_type|perpetrator|victim_sex|victim_age_band|outcome|recommendation_id|issued_month|theme|addressee|priority|status|status_month|implemented_month|event_month)$/;

	it('no column is a name, birth date, code, or free text column', async () => {
		for (const table of RELEASED) {
			const cols = await wasmRows(`DESCRIBE SELECT * FROM ${parquet(outA, table)}`);
			for (const c of cols) expect(String(c.column_name), `${table}.${c.column_name}`).toMatch(ALLOWED_COLUMNS);
		}
	});

	it('every text value outside the regions table is a code or a pseudonym', async () => {
		const codes = JSON.parse(readFileSync(join(ROOT, 'data', 'codes.json'), 'utf8')) as Record<string, Record<string, unknown>>;
		const allowed = new Set<string>(Object.values(codes).flatMap((l) => Object.keys(l)));
		const regions = await wasmRows(`SELECT region_code FROM ${parquet(outA, 'regions')}`);
		for (const r of regions) allowed.add(String(r.region_code));
		for (const table of RELEASED.filter((t) => t !== 'regions')) {
			const cols = (await wasmRows(`DESCRIBE SELECT * FROM ${parquet(outA, table)}`)).filter((c) => c.column_type === 'VARCHAR');
			for (const c of cols) {
				const values = await wasmRows(`SELECT DISTINCT ${c.column_name} AS v FROM ${parquet(outA, table)} WHERE ${c.column_name} IS NOT NULL`);
				for (const { v } of values) {
					const s = String(v);
					if (!allowed.has(s)) expect(s, `${table}.${c.column_name}`).toMatch(/^[FVAR]-[0-9a-f]{16}$/);
				}
			}
		}
	});

	it('no raw name, birth date, case or facility code or free text appears in any released file', () => {
		const allegations = rawText('allegations.csv').split('\n').slice(1, 200);
		const needles = new Set<string>();
		for (const line of allegations) {
			const cells = splitCsvLine(line);
			if (cells.length < 12) continue;
			needles.add(cells[0]); // case code
			needles.add(cells[2]); // facility code
			needles.add(cells[6].split(' ')[0]); // surname
			if (cells[7]) needles.add(cells[7]); // birth date
		}
		needles.add('сообщил(а)'); // free text of descriptions
		needles.add('камера №');
		for (const line of rawText('visits.csv').split('\n').slice(1, 50)) needles.add(splitCsvLine(line)[0].replace(/^\uFEFF/, '')); // visit codes
		needles.delete('');
		const files = readdirSync(outA);
		for (const f of files) {
			const content = readFileSync(join(outA, f));
			const text = content.toString('utf8');
			for (const n of needles) {
				expect(text.includes(n) || content.includes(Buffer.from(n, 'utf8')), `${f} contains "${n}"`).toBe(false);
			}
		}
	});

	it('the key is not in the output folder', () => {
		for (const f of readdirSync(outA)) {
			expect(f).not.toMatch(/key/i);
			expect(readFileSync(join(outA, f)).includes(Buffer.from(KEY_A))).toBe(false);
		}
	});
});

describe('pseudonyms', () => {
	const ids = async (out: string, table: string, col: string) => (await wasmRows(`SELECT ${col} AS id FROM ${parquet(out, table)} ORDER BY 1`)).map((r) => String(r.id));

	it('same input and key give the same pseudonyms', async () => {
		for (const [table, col] of [
			['facilities', 'facility_id'],
			['visits', 'visit_id'],
			['allegations', 'allegation_id'],
			['recommendations', 'recommendation_id']
		]) {
			expect(await ids(outA2, table, col)).toEqual(await ids(outA, table, col));
		}
	});

	it('another key gives other pseudonyms', async () => {
		for (const [table, col] of [
			['facilities', 'facility_id'],
			['visits', 'visit_id'],
			['allegations', 'allegation_id']
		]) {
			const a = new Set(await ids(outA, table, col));
			const b = await ids(outB, table, col);
			expect(b.filter((x) => a.has(x))).toEqual([]);
		}
	});

	it('pseudonyms are unique and prefixed by kind', async () => {
		const rows = await wasmRows(`SELECT count(*) AS n, count(DISTINCT facility_id) AS d, bool_and(facility_id LIKE 'F-%') AS p FROM ${parquet(outA, 'facilities')}`);
		expect(rows[0].n).toBe(rows[0].d);
		expect(rows[0].p).toBe(true);
	});
});
