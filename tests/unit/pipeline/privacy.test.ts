/**
 * Privacy, checked from the released files only, with SQL and attacks written here (independent of
 * the pipeline's own anonymisation code): k-anonymity and l-diversity of allegations, no direct
 * identifiers anywhere, pseudonyms that depend on the key, capacity no finer than its band, and no
 * suppressed value recoverable from the rest of the row (proxies) or from another release.
 *
 * Every check has a control that shows it can fail: the same check on the unprotected input, or on
 * a release made with the protection switched off, finds what the release must not hold.
 */
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { DuckDBInstance } from '@duckdb/node-api';
import { generate } from '../../../scripts/generate/index.ts';
import { cleanupTempDirs, copyGoodMini, splitCsvLine, GOOD_MINI, parquet, RELEASED, ROOT, runIngest, tempDir, wasmRows, writeKey } from './helpers.ts';

const K = 5;
const KEY_A = 'privacy-key-A-0123456789abcdef';
const KEY_B = 'privacy-key-B-fedcba9876543210';
let raw: string;
let outA: string;
let outA2: string;
let outB: string;
/** The same input released without the proxy blanking, and without l-diversity (l = 1): the controls. */
let outP: string;
let outL1: string;
/** The input's allegations, unprotected (computed here from the raw files). */
let raws: RawAllegation[];

const QI = ['region_code', 'facility_type', 'report_year', 'report_quarter', 'victim_sex', 'victim_age_band'] as const;

/** Text of a raw file, whatever its encoding. */
function rawText(name: string): string {
	const bytes = readFileSync(join(raw, name));
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return iconv.decode(bytes, 'win1251');
	}
}

/** Spelling -> code for one list of data/codes.json (code, labels, aliases; case, ё and dots ignored). */
function codeNormaliser(list: string): (spelling: string) => string | undefined {
	const codes = JSON.parse(readFileSync(join(ROOT, 'data', 'codes.json'), 'utf8')) as Record<string, Record<string, { en?: string; ru?: string; kk?: string; aliases?: string[] }>>;
	const norm = (x: string) => x.normalize('NFC').toLowerCase().replace(/ё/g, 'е').replace(/\./g, ' ').replace(/\s+/g, ' ').trim();
	const map = new Map<string, string>();
	for (const [code, e] of Object.entries(codes[list])) for (const sp of [code, e.en, e.ru, e.kk, ...(e.aliases ?? [])]) if (typeof sp === 'string') map.set(norm(sp), code);
	return (spelling) => map.get(norm(spelling));
}

/** dd.mm.yyyy or yyyy-mm-dd -> yyyy-mm-dd. */
function isoDate(s: string): string {
	const t = s.trim();
	const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})/.exec(t);
	if (m) return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
	expect(t, 'a date in the raw file').toMatch(/^\d{4}-\d{2}-\d{2}/);
	return t.slice(0, 10);
}

/** Age band at the report date (docs/data-pipeline.md, section 5), computed here. */
function ageBandAt(birth: string, at: string): string {
	if (!birth) return 'unknown';
	const age = Number(at.slice(0, 4)) - Number(birth.slice(0, 4)) - (at.slice(5) < birth.slice(5) ? 1 : 0);
	return age < 18 ? 'under_18' : age < 25 ? '18_24' : age < 35 ? '25_34' : age < 50 ? '35_49' : '50_plus';
}

const PROXY_QIS = ['facility_type', 'region_code', 'victim_sex', 'victim_age_band', 'report_year'] as const;
const PROXY_ATTRS = ['authority', 'perpetrator', 'channel', 'outcome'] as const;
type RawAllegation = Record<(typeof QI)[number] | (typeof PROXY_ATTRS)[number] | 'allegation_type', string>;

/**
 * The input's allegations, unprotected, with the quasi-identifiers computed here: the facility's
 * region, type and authority from the released facilities table (through pseudonyms computed from
 * the key), year and quarter of the report date, sex, age band.
 */
async function rawAllegations(): Promise<RawAllegation[]> {
	const facilities = new Map((await wasmRows(`SELECT facility_id, region_code, facility_type, authority FROM ${parquet(outA, 'facilities')}`)).map((r) => [r.facility_id as string, r]));
	const lists = Object.fromEntries(['channel', 'allegation_type', 'perpetrator', 'victim_sex', 'outcome'].map((l) => [l, codeNormaliser(l)]));
	const code = (list: string, s: string) => {
		const c = s.trim() === '' && list === 'victim_sex' ? 'unknown' : lists[list](s);
		expect(c, `${list} "${s}"`).toBeDefined();
		return c!;
	};
	const rows: RawAllegation[] = [];
	for (const line of rawText('allegations.csv').replace(/^\uFEFF/, '').split('\n').slice(1).filter((l) => l.trim())) {
		const c = splitCsvLine(line);
		const f = facilities.get(hmacId(KEY_A, 'F-', 'facility', c[2].trim()));
		expect(f, c[2]).toBeDefined();
		const reported = isoDate(c[1]);
		rows.push({
			region_code: f!.region_code as string,
			facility_type: f!.facility_type as string,
			authority: f!.authority as string,
			report_year: reported.slice(0, 4),
			report_quarter: String(Math.ceil(Number(reported.slice(5, 7)) / 3)),
			victim_sex: code('victim_sex', c[8]),
			victim_age_band: ageBandAt(c[7].trim() ? isoDate(c[7]) : '', reported),
			channel: code('channel', c[3]),
			allegation_type: code('allegation_type', c[4]),
			perpetrator: code('perpetrator', c[5]),
			outcome: code('outcome', c[10])
		});
	}
	return rows;
}

/** Classes of at least k rows holding a single allegation type, over the six quasi-identifiers. */
function homogeneousClassesOf(rows: RawAllegation[], k: number): number {
	const classes = new Map<string, { n: number; types: Set<string> }>();
	for (const r of rows) {
		const key = QI.map((q) => r[q]).join('|');
		const c = classes.get(key) ?? { n: 0, types: new Set<string>() };
		c.n++;
		c.types.add(r.allegation_type);
		classes.set(key, c);
	}
	return [...classes.values()].filter((c) => c.n >= k && c.types.size < 2).length;
}

/**
 * What the unprotected input teaches about a quasi-identifier q from attribute a (an attacker who
 * knows the population, e.g. that military perpetrators work in guardhouses): for each value x of a
 * seen in at least 5 rows, the commonest value of q, if it has at least half of those rows (a guess
 * more likely right than wrong) and at least twice its overall share (a value common anyway, such as
 * sex male, is not inferred).
 */
function tellingValues(rows: RawAllegation[], q: (typeof PROXY_QIS)[number], a: (typeof PROXY_ATTRS)[number]): Map<string, { value: string; share: number }> {
	const overall = new Map<string, number>();
	const byX = new Map<string, Map<string, number>>();
	for (const r of rows) {
		overall.set(r[q], (overall.get(r[q]) ?? 0) + 1);
		const m = byX.get(r[a]) ?? new Map<string, number>();
		m.set(r[q], (m.get(r[q]) ?? 0) + 1);
		byX.set(r[a], m);
	}
	const out = new Map<string, { value: string; share: number }>();
	for (const [x, m] of byX) {
		const total = [...m.values()].reduce((s, n) => s + n, 0);
		const [value, n] = [...m].sort((p, o) => o[1] - p[1])[0];
		const share = n / total;
		if (total >= 5 && share >= 0.5 && share >= (2 * overall.get(value)!) / rows.length) out.set(x, { value, share });
	}
	return out;
}

/**
 * The inference attack on a release: rows whose quasi-identifier q was withheld but whose attribute a
 * holds a telling value, i.e. rows where q is read back from a, more likely right than wrong.
 */
async function proxyAttack(dir: string, raws: RawAllegation[]): Promise<{ q: string; a: string; rows: number; values: string[] }[]> {
	const hits: { q: string; a: string; rows: number; values: string[] }[] = [];
	for (const q of PROXY_QIS) {
		for (const a of PROXY_ATTRS) {
			const telling = tellingValues(raws, q, a);
			if (telling.size === 0) continue;
			const rows = await wasmRows(`SELECT ${a} AS x, count(*) AS n FROM ${parquet(dir, 'allegations')} WHERE ${q} IS NULL AND ${a} IN (${[...telling.keys()].map((x) => `'${x}'`).join(', ')}) GROUP BY 1 ORDER BY 1`);
			const n = rows.reduce((s, r) => s + (r.n as number), 0);
			if (n > 0) hits.push({ q, a, rows: n, values: rows.map((r) => `${r.x} -> ${telling.get(r.x as string)!.value}`) });
		}
	}
	return hits;
}

/** Rows planted in the input: one class of six, identical in every quasi-identifier and in allegation type. */
function plantHomogeneousClass(dir: string): void {
	const text = rawText('allegations.csv').replace(/^\uFEFF/, '');
	const first = splitCsvLine(text.split('\n')[1]);
	const facility = first[2];
	const lines = Array.from({ length: 6 }, (_, i) =>
		[`PLANTED-${i + 1}`, `0${i + 2}.02.2015`, facility, 'npm_visit', 'torture', 'penal_staff', 'Тестова Анна', '05.05.1950', 'female', '"planted row"', 'closed_no_crime', ''].join(',')
	);
	writeFileSync(join(dir, 'allegations.csv'), text.trimEnd() + '\n' + lines.join('\n') + '\n');
}

/** Every file under a release folder (the rollups in their subfolder included), relative paths. */
const filesUnder = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));

/**
 * Where raw strings appear in a release, reading what a user reads: every Parquet file decoded by
 * DuckDB (every column cast to text: the bytes on disk are zstd-compressed, so a byte search would
 * only see the footer's statistics), every other file as text. A needle is found anywhere inside a
 * value, not only as a whole value. Returns "file: needle" for each hit.
 */
async function scanRelease(dir: string, needles: Set<string>): Promise<string[]> {
	const lengths = [...new Set([...needles].map((n) => n.length))];
	const found = (text: string) => {
		const hit = new Set<string>();
		for (const len of lengths) for (let i = 0; i + len <= text.length; i++) if (needles.has(text.slice(i, i + len))) hit.add(text.slice(i, i + len));
		return [...hit];
	};
	const hits: string[] = [];
	for (const f of filesUnder(dir)) {
		let texts: string[];
		if (f.endsWith('.parquet')) {
			const source = `read_parquet('${join(dir, f).replace(/'/g, "''")}')`;
			texts = [];
			for (const c of await wasmRows(`DESCRIBE SELECT * FROM ${source}`)) {
				const col = `"${String(c.column_name).replace(/"/g, '""')}"`;
				for (const r of await wasmRows(`SELECT DISTINCT CAST(${col} AS VARCHAR) AS v FROM ${source} WHERE ${col} IS NOT NULL`)) {
					// A pseudonym is 16 hex digits after its prefix (checked above): no raw string fits inside one.
					if (!/^[FVAR]-[0-9a-f]{16}$/.test(String(r.v))) texts.push(String(r.v));
				}
			}
			expect(texts.length, f).toBeGreaterThan(0);
		} else texts = [readFileSync(join(dir, f), 'utf8')];
		for (const t of texts) for (const n of found(t)) hits.push(`${f}: ${n}`);
	}
	return [...new Set(hits)];
}

/** Raw strings that must never be published: codes, names, birth dates, free text of the input. */
function rawNeedles(): Set<string> {
	const needles = new Set<string>();
	for (const line of rawText('allegations.csv').replace(/^\uFEFF/, '').split('\n').slice(1).filter((l) => l.trim())) {
		const cells = splitCsvLine(line);
		needles.add(cells[0]); // case code
		needles.add(cells[2]); // facility code
		needles.add(cells[6].split(' ')[0]); // surname
		if (cells[7]) {
			needles.add(cells[7]); // birth date as written...
			needles.add(isoDate(cells[7])); // ...and as a date value
		}
	}
	needles.add('сообщил(а)'); // free text of descriptions
	needles.add('камера №');
	for (const line of rawText('visits.csv').replace(/^\uFEFF/, '').split('\n').slice(1).filter((l) => l.trim())) needles.add(splitCsvLine(line)[0]); // visit codes
	for (const line of rawText('recommendations.csv').split('\n').slice(1).filter((l) => l.trim())) needles.add(line.split(';')[0].trim()); // recommendation codes
	for (const n of [...needles]) if (n.trim().length < 3) needles.delete(n);
	return needles;
}

beforeAll(async () => {
	raw = tempDir('privacy-raw-');
	await generate({ seed: 23, scale: 0.2, out: raw, quiet: true });
	plantHomogeneousClass(raw); // so that l-diversity has something to do (the generated data alone never needs it)
	const keyDir = tempDir();
	const keyA = writeKey(keyDir, KEY_A);
	outA = join(tempDir(), 'a');
	outA2 = join(tempDir(), 'a2');
	outB = join(tempDir(), 'b');
	outP = join(tempDir(), 'p');
	outL1 = join(tempDir(), 'l1');
	for (const [out, extra] of [
		[outA, {}],
		[outA2, {}],
		[outP, { withoutProxyProtection: true }],
		[outL1, { l: 1 }]
	] as const) {
		const r = await runIngest({ input: raw, out, keyFile: keyA, k: K, ...extra });
		expect(r.ok).toBe(true);
	}
	raws = await rawAllegations();
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

	it('control: the input has combinations under k, so the check above can fail', () => {
		const sizes = new Map<string, number>();
		for (const r of raws) sizes.set(QI.map((q) => r[q]).join('|'), (sizes.get(QI.map((q) => r[q]).join('|')) ?? 0) + 1);
		expect([...sizes.values()].filter((n) => n < K).length).toBeGreaterThan(100);
	});

	it('no class is homogeneous in allegation_type', async () => {
		const rows = await wasmRows(`SELECT count(*) AS homogeneous FROM (SELECT ${QI.join(', ')}, count(DISTINCT allegation_type) AS d FROM ${parquet(outA, 'allegations')} GROUP BY ${QI.join(', ')}) WHERE d < 2`);
		expect(rows[0].homogeneous).toBe(0);
	});

	it('control: the input has classes of k rows with one allegation type, so the check above can fail', () => {
		expect(raws.length).toBeGreaterThan(400);
		expect(homogeneousClassesOf(raws, K)).toBeGreaterThanOrEqual(1);
	});

	it('control: a release made without l-diversity (l = 1) fails the same check', async () => {
		const rows = await wasmRows(`SELECT count(*) AS homogeneous, min(n) AS smallest FROM (SELECT ${QI.join(', ')}, count(*) AS n, count(DISTINCT allegation_type) AS d FROM ${parquet(outL1, 'allegations')} GROUP BY ${QI.join(', ')}) WHERE d < 2`);
		expect(rows[0].homogeneous).toBeGreaterThanOrEqual(1);
		expect(rows[0].smallest).toBeGreaterThanOrEqual(K); // still k-anonymous: only l-diversity is missing
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

	/** Columns of the tables in dir whose name is not one of the published ones. */
	async function badColumns(dir: string, tables: string[]): Promise<string[]> {
		const bad: string[] = [];
		for (const table of tables) for (const c of await wasmRows(`DESCRIBE SELECT * FROM ${parquet(dir, table)}`)) if (!ALLOWED_COLUMNS.test(String(c.column_name))) bad.push(`${table}.${c.column_name}`);
		return bad;
	}

	/** Text values of the tables in dir that are neither a code of data/codes.json, a region code nor a pseudonym. */
	async function nonCodeValues(dir: string, tables: string[]): Promise<string[]> {
		const codes = JSON.parse(readFileSync(join(ROOT, 'data', 'codes.json'), 'utf8')) as Record<string, Record<string, unknown>>;
		const allowed = new Set<string>(Object.values(codes).flatMap((l) => Object.keys(l)));
		for (const r of await wasmRows(`SELECT region_code FROM ${parquet(outA, 'regions')}`)) allowed.add(String(r.region_code));
		const bad: string[] = [];
		for (const table of tables) {
			const cols = (await wasmRows(`DESCRIBE SELECT * FROM ${parquet(dir, table)}`)).filter((c) => c.column_type === 'VARCHAR');
			for (const c of cols) {
				for (const { v } of await wasmRows(`SELECT DISTINCT ${c.column_name} AS v FROM ${parquet(dir, table)} WHERE ${c.column_name} IS NOT NULL`)) {
					const s = String(v);
					if (!allowed.has(s) && !/^[FVAR]-[0-9a-f]{16}$/.test(s)) bad.push(`${table}.${c.column_name}: ${s}`);
				}
			}
		}
		return bad;
	}

	/** Files of dir named like a key or holding the key. */
	const keyFiles = (dir: string) => filesUnder(dir).filter((f) => /key/i.test(f) || readFileSync(join(dir, f)).includes(Buffer.from(KEY_A)));

	/**
	 * The controls' release: the allegations with raw strings planted in the middle of their columns
	 * (not at the ends, which the footer's min/max statistics show uncompressed), a column holding
	 * names, and the key in a file. Written by the other engine (@duckdb/node-api), zstd-compressed.
	 */
	let planted: { dir: string; values: string[] } | null = null;
	async function plantedRelease(): Promise<{ dir: string; values: string[] }> {
		if (planted) return planted;
		const rows = rawText('allegations.csv').replace(/^\uFEFF/, '').split('\n').slice(1, 40).map(splitCsvLine);
		const born = rows.find((r) => r[7])![7];
		const values = [rows[0][0], rows[1][0], rows[2][2], rows[0][6].split(' ')[0], born];
		const dir = tempDir('planted-');
		const db = await DuckDBInstance.create(':memory:');
		const conn = await db.connect();
		await conn.run(`COPY (SELECT * EXCLUDE (rn) REPLACE (
				CASE rn WHEN 50 THEN '${values[0]}' WHEN 100 THEN '${values[1]}' ELSE allegation_id END AS allegation_id,
				CASE rn WHEN 150 THEN '${values[2]}' ELSE channel END AS channel,
				CASE rn WHEN 200 THEN '${values[3]}' ELSE outcome END AS outcome,
				CASE rn WHEN 250 THEN '${values[4]}' ELSE perpetrator END AS perpetrator),
				CASE rn WHEN 300 THEN '${rows[3][6]}' END AS victim_name
			FROM (SELECT *, row_number() OVER () AS rn FROM read_parquet('${join(outA, 'allegations.parquet')}')))
			TO '${join(dir, 'allegations.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
		conn.closeSync();
		db.closeSync();
		writeFileSync(join(dir, 'notes.txt'), `pseudonym key: ${KEY_A}\n`);
		return (planted = { dir, values });
	}

	it('no column is a name, birth date, code, or free text column', async () => {
		expect(await badColumns(outA, RELEASED)).toEqual([]);
	});

	it('control: the same check finds a column of names', async () => {
		expect(await badColumns((await plantedRelease()).dir, ['allegations'])).toEqual(['allegations.victim_name']);
	});

	it('every text value outside the regions table is a code or a pseudonym', async () => {
		expect(await nonCodeValues(outA, RELEASED.filter((t) => t !== 'regions'))).toEqual([]);
	});

	it('control: the same check finds the planted raw values', async () => {
		const { dir, values } = await plantedRelease();
		const bad = await nonCodeValues(dir, ['allegations']);
		for (const v of values) expect(bad.some((b) => b.endsWith(`: ${v}`)), v).toBe(true);
	});

	it('no raw name, birth date, code or free text appears in any released file, read as its values', async () => {
		const needles = rawNeedles();
		expect(needles.size).toBeGreaterThan(1000);
		expect(filesUnder(outA)).toContain(join('rollups', 'manifest.json'));
		expect(await scanRelease(outA, needles)).toEqual([]);
	}, 120_000);

	it('control: the same scan finds raw codes, a name and a birth date planted in a zstd-compressed Parquet file', async () => {
		const { dir, values } = await plantedRelease();
		const hits = await scanRelease(dir, rawNeedles());
		for (const n of values) expect(hits, n).toContain(`allegations.parquet: ${n}`);
	}, 120_000);

	it('the key is not in the output folder', () => {
		expect(keyFiles(outA)).toEqual([]);
	});

	it('control: the same check finds the key in a file', async () => {
		expect(keyFiles((await plantedRelease()).dir)).toEqual(['notes.txt']);
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

/**
 * Capacities a facility's band allows (docs/data-pipeline.md, section 4). A facility of capacity 0
 * has no occupancy, so the under_50 band starts at 1 here; 1000_plus stops at 3000: above 200 places
 * every rate to two decimals is reachable anyway, so a higher cap would change nothing.
 */
const BAND_RANGE: Record<string, [number, number]> = { under_50: [1, 49], '50_199': [50, 199], '200_499': [200, 499], '500_999': [500, 999], '1000_plus': [1000, 3000] };

/** What a reader may know of one visit to a facility: head count p, occupancy value v (two decimals), verdict meets (present <= capacity). */
interface CapacityObs {
	facility_id: string;
	p: number | null;
	v: number | null;
	meets: boolean | null;
}

/**
 * The lattice attack: a capacity C stays possible when every visit can be explained by it, i.e. some
 * whole head count p >= 0 (the one published, when it is) gives round(p / C, 2) = v and agrees with
 * the verdict. Generous to C at every edge (rounding either way, a verdict taken at 1.00 rounded), so
 * the true capacity is never ruled out. Returns the possible capacities within [lo, hi].
 */
function possibleCapacities(obs: CapacityObs[], lo: number, hi: number): number[] {
	const eps = 1e-9;
	const out: number[] = [];
	for (let c = lo; c <= hi; c++) {
		const ok = obs.every((o) => {
			let pLo = 0;
			let pHi = Infinity;
			if (o.v !== null) {
				pLo = Math.max(pLo, Math.ceil((o.v - 0.005) * c - eps));
				pHi = Math.min(pHi, Math.floor((o.v + 0.005) * c + eps));
			}
			if (o.meets === true) pHi = Math.min(pHi, Math.floor(1.005 * c + eps));
			if (o.meets === false) pLo = Math.max(pLo, Math.ceil(0.995 * c - eps));
			if (o.p !== null) return o.p >= pLo && o.p <= pHi;
			return pLo <= pHi;
		});
		if (ok) out.push(c);
	}
	return out;
}

interface AttackResult {
	facilities: number;
	/** Facilities for which fewer capacities remain possible than the band holds. */
	narrowed: number;
	/** ... and those for which exactly one remains. */
	pinned: number;
	/** Facilities whose true capacity was ruled out (must be 0: the attack is sound). */
	wrong: number;
}

function capacityAttack(obs: CapacityObs[], bandOf: Map<string, string>, truth?: Map<string, number>): AttackResult {
	const byFacility = new Map<string, CapacityObs[]>();
	for (const o of obs) byFacility.set(o.facility_id, [...(byFacility.get(o.facility_id) ?? []), o]);
	const r: AttackResult = { facilities: 0, narrowed: 0, pinned: 0, wrong: 0 };
	for (const [id, list] of byFacility) {
		const [lo, hi] = BAND_RANGE[bandOf.get(id)!];
		const possible = possibleCapacities(list, lo, hi);
		r.facilities++;
		if (possible.length < hi - lo + 1) r.narrowed++;
		if (possible.length === 1) r.pinned++;
		if (truth && !possible.includes(truth.get(id)!)) r.wrong++;
	}
	return r;
}

/** True capacities and raw occupancy findings, joined to the release through pseudonyms computed here from the key. */
async function rawCapacityData(): Promise<{ capacity: Map<string, number>; visitFacility: Map<string, string>; present: Map<string, number>; occupancy: Map<string, { v: number | null; meets: boolean }> }> {
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
	const visitFacility = new Map<string, string>();
	const present = new Map<string, number>();
	for (const line of rawText('visits.csv').replace(/^\uFEFF/, '').split('\n').slice(1).filter((l) => l.trim())) {
		const c = splitCsvLine(line);
		const id = hmacId(KEY_A, 'V-', 'visit', c[0].trim());
		visitFacility.set(id, hmacId(KEY_A, 'F-', 'facility', c[1].trim()));
		present.set(id, Number(c[6]));
	}
	// findings.csv: ';'-separated, decimal commas, indicators and yes/no in several spellings.
	const indicator = codeNormaliser('indicator');
	const yes = new Set(['да', 'yes', '1', 'true', 'соответствует']);
	const no = new Set(['нет', 'no', '0', 'false', 'не соответствует']);
	const occupancy = new Map<string, { v: number | null; meets: boolean }>();
	for (const line of rawText('findings.csv').split('\n').slice(1).filter((l) => l.trim())) {
		const c = line.replace(/\r$/, '').split(';');
		if (indicator(c[1]) !== 'occupancy_rate') continue;
		const verdict = c[3].trim().toLowerCase();
		expect(yes.has(verdict) || no.has(verdict), verdict).toBe(true);
		occupancy.set(hmacId(KEY_A, 'V-', 'visit', c[0].trim()), { v: c[2].trim() ? Number(c[2].replace(',', '.')) : null, meets: yes.has(verdict) });
	}
	return { capacity, visitFacility, present, occupancy };
}

describe('facility capacity cannot be narrowed inside its band', () => {
	let bandOf: Map<string, string>;
	let rawData: Awaited<ReturnType<typeof rawCapacityData>>;
	beforeAll(async () => {
		bandOf = new Map((await wasmRows(`SELECT facility_id, capacity_band FROM ${parquet(outA, 'facilities')}`)).map((r) => [r.facility_id as string, r.capacity_band as string]));
		rawData = await rawCapacityData();
		expect(rawData.occupancy.size).toBeGreaterThan(1000);
	});

	it('the release: occupancy findings and head counts leave every capacity in the band possible', async () => {
		const rows = await wasmRows(`SELECT f.facility_id, v.detainees_present AS p, f.value AS v, f.meets_standard AS meets
			FROM ${parquet(outA, 'findings')} f JOIN ${parquet(outA, 'visits')} v USING (visit_id) WHERE f.indicator = 'occupancy_rate'`);
		const obs = rows as unknown as CapacityObs[];
		expect(obs.length).toBe(rawData.occupancy.size);
		expect(obs.filter((o) => o.v !== null || o.p !== null)).toEqual([]); // no rate, no head count
		expect(obs.filter((o) => o.meets !== null).length).toBe(obs.length); // the verdict is published
		const r = capacityAttack(obs, bandOf, rawData.capacity);
		expect(r.facilities).toBeGreaterThan(300);
		expect(r).toMatchObject({ narrowed: 0, pinned: 0, wrong: 0 });
	});

	it('control: the same attack on the rates to two decimals (as the input has them) narrows most small facilities', () => {
		const obs: CapacityObs[] = [...rawData.occupancy].map(([visit, o]) => ({ facility_id: rawData.visitFacility.get(visit)!, p: null, v: o.v, meets: o.meets }));
		const r = capacityAttack(obs, bandOf, rawData.capacity);
		expect(r.wrong).toBe(0); // sound: the true capacity is always among the possible ones
		expect(r.narrowed).toBeGreaterThan(100);
		expect(r.pinned).toBeGreaterThan(10);
	});

	it('control: the published verdicts with the true head counts narrow most facilities (why head counts stay withheld)', async () => {
		const verdicts = await wasmRows(`SELECT visit_id, facility_id, meets_standard AS meets FROM ${parquet(outA, 'findings')} WHERE indicator = 'occupancy_rate'`);
		const obs: CapacityObs[] = verdicts.map((r) => ({ facility_id: r.facility_id as string, p: rawData.present.get(r.visit_id as string)!, v: null, meets: r.meets as boolean }));
		expect(obs.every((o) => Number.isInteger(o.p))).toBe(true); // every released visit found in the raw file
		const r = capacityAttack(obs, bandOf, rawData.capacity);
		expect(r.wrong).toBe(0);
		expect(r.narrowed / r.facilities).toBeGreaterThan(0.5);
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
		// ...and its occupancy value (0.3) is withheld, its verdict kept; other values stay.
		const findings = await wasmRows(`SELECT indicator, value, meets_standard FROM ${parquet(out, 'findings')} WHERE value IS NOT NULL OR indicator = 'occupancy_rate' ORDER BY indicator`);
		expect(findings).toEqual([
			{ indicator: 'cctv_coverage', value: 0.95, meets_standard: true },
			{ indicator: 'living_space_m2', value: 3.5, meets_standard: false },
			{ indicator: 'occupancy_rate', value: null, meets_standard: true }
		]);
		const report = readFileSync(join(out, 'disclosure-report.md'), 'utf8');
		expect(report).toContain('**1 of 4 visits**');
		expect(report).toContain('occupancy values withheld: **1**');
		expect(JSON.parse(readFileSync(join(out, 'disclosure.json'), 'utf8')).visits).toEqual({ detainees_present_withheld: 1, detainees_present_missing: 0, visits: 4, capacity_values_withheld: 1 });
	}, 120_000);
});

describe('proxies: no attribute gives back a withheld quasi-identifier', () => {
	it('measured on the input: perpetrator stands in for facility type (military -> military_guardhouse)', () => {
		const telling = tellingValues(raws, 'facility_type', 'perpetrator');
		expect(telling.get('military')?.value).toBe('military_guardhouse');
	});

	it('the release: no row with a withheld quasi-identifier holds a value that tells it', async () => {
		const [{ withheld }] = await wasmRows(`SELECT count(*) AS withheld FROM ${parquet(outA, 'allegations')} WHERE ${PROXY_QIS.map((q) => `${q} IS NULL`).join(' OR ')}`);
		expect(withheld).toBeGreaterThan(50); // there is something to protect
		expect(await proxyAttack(outA, raws)).toEqual([]);
	});

	it('control: the same attack on the release made without the blanking reads facility types back', async () => {
		const hits = await proxyAttack(outP, raws);
		const byPerpetrator = hits.find((h) => h.q === 'facility_type' && h.a === 'perpetrator');
		expect(byPerpetrator?.rows).toBeGreaterThan(5);
		expect(byPerpetrator?.values).toContain('military -> military_guardhouse');
	});

	const splitSql = (dir: string) => `SELECT min(n) AS smallest, min(d) AS types, count(*) FILTER (WHERE n = 1) AS singletons FROM (
		SELECT ${QI.join(', ')}, perpetrator, authority, count(*) AS n, count(DISTINCT allegation_type) AS d
		FROM ${parquet(dir, 'allegations')} WHERE facility_type IS NULL GROUP BY ALL)`;

	it('the release: with perpetrator and authority as extra keys, rows whose facility type is withheld still form classes of k and l', async () => {
		const [r] = await wasmRows(splitSql(outA));
		expect(r.smallest).toBeGreaterThanOrEqual(K);
		expect(r.types).toBeGreaterThanOrEqual(2);
	});

	it('control: without the blanking, the same keys split them into classes of one row', async () => {
		const [r] = await wasmRows(splitSql(outP));
		expect(r.smallest).toBe(1);
		expect(r.singletons).toBeGreaterThan(5);
	});
});

describe('a suppressed value cannot be recovered', () => {
	it('from the rest of its row: no authority or perpetrator where the facility type is suppressed, no quarter where the year is', async () => {
		const [r] = await wasmRows(`SELECT count(*) FILTER (WHERE facility_type IS NULL) AS ft_null,
			count(*) FILTER (WHERE facility_type IS NULL AND authority IS NOT NULL) AS authority_left,
			count(*) FILTER (WHERE facility_type IS NULL AND perpetrator IS NOT NULL) AS perpetrator_left,
			count(*) FILTER (WHERE report_year IS NULL AND report_quarter IS NOT NULL) AS quarter_left
			FROM ${parquet(outA, 'allegations')}`);
		expect(r.ft_null).toBeGreaterThan(0); // there is something to protect
		expect(r).toMatchObject({ authority_left: 0, perpetrator_left: 0, quarter_left: 0 });
		// Control: without the blanking the same query finds them.
		const [p] = await wasmRows(`SELECT count(*) FILTER (WHERE facility_type IS NULL AND authority IS NOT NULL) AS authority_left,
			count(*) FILTER (WHERE facility_type IS NULL AND perpetrator IS NOT NULL) AS perpetrator_left FROM ${parquet(outP, 'allegations')}`);
		expect(p.authority_left).toBeGreaterThan(0);
		expect(p.perpetrator_left).toBeGreaterThan(0);
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
