/**
 * Privacy, checked from the released files only, with SQL written here (independent of the
 * pipeline's own anonymisation code): k-anonymity and l-diversity of allegations, no direct
 * identifiers anywhere, pseudonyms that depend on the key, capacity no finer than its band, and no
 * suppressed value recoverable from the rest of the row or from another release.
 */
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { generate } from '../../../scripts/generate/index.ts';
import { cleanupTempDirs, copyGoodMini, GOOD_MINI, parquet, RELEASED, ROOT, runIngest, tempDir, wasmRows, writeKey } from './helpers.ts';

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
		// Every file, the rollups in their subfolder included.
		const files = readdirSync(outA, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(outA, join(e.parentPath, e.name)));
		expect(files).toContain(join('rollups', 'manifest.json'));
		for (const f of files) {
			const content = readFileSync(join(outA, f));
			const text = content.toString('utf8');
			for (const n of needles) {
				expect(text.includes(n) || content.includes(Buffer.from(n, 'utf8')), `${f} contains "${n}"`).toBe(false);
			}
		}
	});

	it('the key is not in the output folder', () => {
		for (const f of readdirSync(outA, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(outA, join(e.parentPath, e.name)))) {
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

/** HMAC-SHA256 pseudonym, computed here with Node's crypto (not the pipeline's SQL macro). */
const hmacId = (key: string, prefix: string, kind: string, code: string) => prefix + createHmac('sha256', key).update(`${kind}:${code}`).digest('hex').slice(0, 16);

/** Lower and upper bound of each capacity band (docs/data-pipeline.md: capacity is released as a band). */
const BANDS = `(VALUES ('under_50', 0, 49), ('50_199', 50, 199), ('200_499', 200, 499), ('500_999', 500, 999), ('1000_plus', 1000, 1000000000)) b(capacity_band, band_lo, band_hi)`;

/**
 * The attack on guarantee 4, as an outsider would run it on the released files: for each facility,
 * every visit with a head count gives capacity = present / occupancy (values have two decimals, so
 * within present / (value +- 0.005)), and its meets_standard says present <= capacity or present >
 * capacity. Intersected with the band, this is what one learns of the capacity; it must not be
 * narrower than the band. `visits` is any relation with visit_id, facility_id and detainees_present.
 */
function capacityAttackSql(visits: string, out: string): string {
	return `WITH obs AS (
			SELECT v.facility_id, v.detainees_present AS p, f.value, f.meets_standard AS meets
			FROM ${visits} v JOIN ${parquet(out, 'findings')} f USING (visit_id)
			WHERE f.indicator = 'occupancy_rate' AND v.detainees_present IS NOT NULL
		), bounds AS (
			SELECT facility_id,
			       max(greatest(CASE WHEN value > 0 THEN p / (value + 0.005) END, CASE WHEN meets THEN p / 1.005 END)) AS lo,
			       min(least(CASE WHEN value > 0.005 THEN p / (value - 0.005) END, CASE WHEN NOT meets THEN p / 0.995 END)) AS hi,
			       count(*) AS n
			FROM obs GROUP BY facility_id
		)
		SELECT fa.facility_id, b.band_lo, b.band_hi, greatest(b.band_lo, coalesce(x.lo, b.band_lo)) AS lo, least(b.band_hi, coalesce(x.hi, b.band_hi)) AS hi, x.n
		FROM ${parquet(out, 'facilities')} fa JOIN ${BANDS} USING (capacity_band) JOIN bounds x USING (facility_id)`;
}

describe('facility capacity cannot be known more precisely than its band', () => {
	it('head counts and occupancy findings in the release narrow no facility within its band', async () => {
		const rows = await wasmRows(`SELECT count(*) AS facilities, count(*) FILTER (WHERE hi - lo < band_hi - band_lo) AS narrowed
			FROM (${capacityAttackSql(parquet(outA, 'visits'), outA)})`);
		// No facility whose visits carry a head count and an occupancy finding: nothing to combine.
		expect(rows[0]).toEqual({ facilities: 0, narrowed: 0 });
		const [f] = await wasmRows(`SELECT count(*) AS n FROM ${parquet(outA, 'findings')} WHERE indicator = 'occupancy_rate' AND value IS NOT NULL`);
		expect(f.n).toBeGreaterThan(1000); // the occupancy values themselves are still published
	});

	it('the same attack, given the visits\' true head counts, pins most capacities: the check above can fail', async () => {
		// Raw head counts joined to released visits through pseudonyms computed here from the key.
		const present: string[] = [];
		const lines = rawText('visits.csv').replace(/^\uFEFF/, '').split('\n').slice(1).filter((l) => l.trim());
		for (const line of lines) {
			const c = splitCsvLine(line);
			present.push(`${hmacId(KEY_A, 'V-', 'visit', c[0].trim())},${Number(c[6])}`);
		}
		const csv = join(tempDir(), 'present.csv');
		writeFileSync(csv, 'visit_id,p\n' + present.join('\n') + '\n');
		const leaky = `(SELECT v.visit_id, v.facility_id, t.p AS detainees_present FROM ${parquet(outA, 'visits')} v JOIN read_csv('${csv}', header = true, columns = {'visit_id': 'VARCHAR', 'p': 'INTEGER'}) t USING (visit_id))`;
		const [{ matched }] = await wasmRows(`SELECT count(*) AS matched FROM ${leaky}`);
		expect(matched).toBe(lines.length); // every raw visit found by its pseudonym

		// True capacities from the raw facilities workbook, also through pseudonyms computed here.
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.readFile(join(raw, 'facilities.xlsx'));
		const sheet = wb.worksheets[0];
		const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
		const capacity = new Map<string, number>();
		sheet.eachRow((row, i) => {
			if (i === 1) return;
			const code = String(row.getCell(header.indexOf('facility_code')).value).trim();
			capacity.set(hmacId(KEY_A, 'F-', 'facility', code), Number(row.getCell(header.indexOf('capacity')).value));
		});

		const attack = await wasmRows(`SELECT facility_id, band_lo, band_hi, lo, hi FROM (${capacityAttackSql(leaky, outA)})`);
		expect(attack.length).toBeGreaterThan(100);
		const narrowed = attack.filter((r) => (r.hi as number) - (r.lo as number) < (r.band_hi as number) - (r.band_lo as number));
		expect(narrowed.length / attack.length).toBeGreaterThan(0.9);
		// The attack is right, not just narrow: the true capacity lies in the interval it finds...
		for (const r of attack) {
			const c = capacity.get(r.facility_id as string)!;
			expect(c, String(r.facility_id)).toBeGreaterThanOrEqual(Math.floor(r.lo as number));
			expect(c, String(r.facility_id)).toBeLessThanOrEqual(Math.ceil(r.hi as number));
		}
		// ...and it is within 2% of the truth for most facilities.
		const close = attack.filter((r) => ((r.hi as number) - (r.lo as number)) / capacity.get(r.facility_id as string)! < 0.02);
		expect(close.length / attack.length).toBeGreaterThan(0.5);
	});

	it('a head count is withheld only for facilities with an occupancy finding', async () => {
		const out = join(tempDir(), 'mini');
		expect((await runIngest({ input: GOOD_MINI, out, keyFile: writeKey(tempDir(), KEY_A) })).ok).toBe(true);
		const rows = await wasmRows(`SELECT visit_id, detainees_present AS p FROM ${parquet(out, 'visits')} ORDER BY visit_id`);
		const byId = Object.fromEntries(rows.map((r) => [r.visit_id as string, r.p]));
		// good-mini: only V2 (a police cell of capacity 40) has an occupancy finding.
		expect(byId).toEqual({
			[hmacId(KEY_A, 'V-', 'visit', 'V1')]: 700,
			[hmacId(KEY_A, 'V-', 'visit', 'V2')]: null,
			[hmacId(KEY_A, 'V-', 'visit', 'V3')]: 540,
			[hmacId(KEY_A, 'V-', 'visit', 'V4')]: 18
		});
		const report = readFileSync(join(out, 'disclosure-report.md'), 'utf8');
		expect(report).toContain('**1 of 4 visits**');
		expect(JSON.parse(readFileSync(join(out, 'disclosure.json'), 'utf8')).visits).toEqual({ detainees_present_withheld: 1, detainees_present_missing: 0, visits: 4 });
	}, 120_000);
});

describe('a suppressed value cannot be recovered', () => {
	it('from the rest of its row: no authority where the facility type is suppressed, no quarter where the year is', async () => {
		const [r] = await wasmRows(`SELECT count(*) FILTER (WHERE facility_type IS NULL) AS ft_null,
			count(*) FILTER (WHERE facility_type IS NULL AND authority IS NOT NULL) AS authority_left,
			count(*) FILTER (WHERE report_year IS NULL AND report_quarter IS NOT NULL) AS quarter_left
			FROM ${parquet(outA, 'allegations')}`);
		expect(r.ft_null).toBeGreaterThan(0); // there is something to protect
		expect(r).toMatchObject({ authority_left: 0, quarter_left: 0 });
	});

	it('from another release: a changed input gives new allegation ids, while facility ids stay', async () => {
		// The next release: the same files plus one more allegation (the last row repeated under a new case code).
		const next = tempDir('privacy-next-');
		for (const f of readdirSync(raw)) writeFileSync(join(next, f), readFileSync(join(raw, f)));
		const text = rawText('allegations.csv');
		const body = text.trimEnd().split('\n');
		const last = splitCsvLine(body[body.length - 1]);
		const added = body[body.length - 1].replace(last[0], 'NEW-CASE-0001');
		writeFileSync(join(next, 'allegations.csv'), text.trimEnd() + '\n' + added + '\n');
		const out = join(tempDir(), 'next');
		const r = await runIngest({ input: next, out, keyFile: writeKey(tempDir(), KEY_A), k: K });
		expect(r.errors.shown).toEqual([]);
		const ids = async (dir: string, table: string, col: string) => new Set((await wasmRows(`SELECT ${col} AS id FROM ${parquet(dir, table)}`)).map((x) => String(x.id)));
		const before = await ids(outA, 'allegations', 'allegation_id');
		const after = await ids(out, 'allegations', 'allegation_id');
		expect(after.size).toBe(before.size + 1);
		expect([...after].filter((x) => before.has(x))).toEqual([]);
		expect(await ids(out, 'facilities', 'facility_id')).toEqual(await ids(outA, 'facilities', 'facility_id'));
		expect(await ids(out, 'visits', 'visit_id')).toEqual(await ids(outA, 'visits', 'visit_id'));
	}, 300_000);
});
