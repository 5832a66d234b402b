/**
 * Successive releases (docs/data-pipeline.md, section 5, "Successive releases"): comparing two
 * published releases must tell a reader no more than one release does.
 *
 * The attack, written here independently of the pipeline and run on the released files only with
 * the browser's engine: the multiset difference of two releases' allegations over every column but
 * the id (EXCEPT ALL, both ways). It must not single out a row: the difference is empty, or every
 * group of it sharing the quasi-identifiers has at least k rows and l allegation types. Three
 * trials against one base release, all with the same key: a late-reported allegation added (a
 * 15-year-old girl in a psychiatric hospital), a typical allegation added, an outcome corrected to
 * conviction. Each has a control made without --previous, on which the same attack does single the
 * row out, so the checks can fail.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { generate } from '../../../scripts/generate/index.ts';
import { cleanupTempDirs, GOOD_MINI, splitCsvLine, parquet, ROOT, runIngest, tempDir, wasmRows, writeKey } from './helpers.ts';
import type { IngestResult } from '../../../scripts/pipeline/index.ts';

const K = 5;
const L = 2;
const QI = ['region_code', 'facility_type', 'report_year', 'report_quarter', 'victim_sex', 'victim_age_band'];
/** Rows of allegations.csv held out of the base, to come as a new batch later (the last months). */
const LATER = 150;

let keyFile: string;
let full: string; // the generated input
let base: string; // the same without its last LATER rows
let r1: string; // the base release, made from scratch
let r1Result: IngestResult;
let header: string;
let lines: string[]; // data lines of the full allegations.csv
let psychiatric: string; // a psychiatric hospital's facility code

type Row = Record<string, unknown>;

const csvLine = (values: string[]) => values.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');

/** A copy of the full input whose allegations.csv holds `rows` (data lines). */
function inputWith(rows: string[]): string {
	const dir = tempDir('releases-in-');
	cpSync(full, dir, { recursive: true });
	writeFileSync(join(dir, 'allegations.csv'), [header, ...rows].join('\n') + '\n');
	return dir;
}

async function ingest(input: string, opts: { previous?: string; corrections?: boolean } = {}): Promise<{ out: string; result: IngestResult }> {
	const out = join(tempDir('releases-out-'), 'data');
	const result = await runIngest({ input, out, keyFile, k: K, ...opts });
	expect(result.errors.shown).toEqual([]);
	expect(result.ok).toBe(true);
	return { out, result };
}

/**
 * The attack: rows of `after` not in `before` and rows of `before` not in `after`, as multisets
 * (EXCEPT ALL), over every column but the id. The browser's engine (DuckDB 0.9.1) drops duplicates
 * in EXCEPT ALL, so identical rows are numbered first and a plain EXCEPT compares (row, number).
 * `kept`: the rows of `before` that are also in `after` (INTERSECT ALL, the same way).
 */
async function diff(before: string, after: string): Promise<{ added: Row[]; removed: Row[]; kept: Row[] }> {
	const cols = (await wasmRows(`DESCRIBE SELECT * FROM ${parquet(before, 'allegations')}`)).map((c) => String(c.column_name)).filter((c) => c !== 'allegation_id');
	expect(cols.length).toBeGreaterThanOrEqual(QI.length + 1);
	const list = cols.join(', ');
	const numbered = (dir: string) => `SELECT ${list}, row_number() OVER (PARTITION BY ${list}) AS dup FROM ${parquet(dir, 'allegations')}`;
	const op = (a: string, set: string, b: string) => wasmRows(`SELECT ${list} FROM (${numbered(a)} ${set} ${numbered(b)})`);
	return { added: await op(after, 'EXCEPT', before), removed: await op(before, 'EXCEPT', after), kept: await op(before, 'INTERSECT', after) };
}

const noChange = (d: { added: Row[]; removed: Row[] }) => ({ added: d.added, removed: d.removed });

const qiKey = (r: Row) => JSON.stringify(QI.map((q) => r[q] ?? null));

/** Groups of a set of rows (by quasi-identifiers, NULL a value of its own) with fewer than k rows or l types. */
function unsafeGroups(rows: Row[]): { key: string; n: number; types: number }[] {
	const groups = new Map<string, { n: number; types: Set<unknown> }>();
	for (const r of rows) {
		const g = groups.get(qiKey(r)) ?? { n: 0, types: new Set() };
		g.n++;
		g.types.add(r.allegation_type);
		groups.set(qiKey(r), g);
	}
	return [...groups].filter(([, g]) => g.n < K || g.types.size < L).map(([key, g]) => ({ key, n: g.n, types: g.types.size }));
}

/** Does a published row fit what the attacker knows of the target (NULL = withheld, fits anything)? */
const fits = (r: Row, target: Row) => Object.entries(target).every(([c, v]) => r[c] === null || r[c] === v);

/**
 * The attack succeeds when a difference side holds a row fitting the target in a group under k rows
 * or l types: the reader has the row (with its allegation type) of the person whose record changed.
 */
function singledOut(rows: Row[], target: Row): Row[] {
	const bad = new Set(unsafeGroups(rows).map((g) => g.key));
	return rows.filter((r) => fits(r, target) && bad.has(qiKey(r)));
}

function expectSafe(d: { added: Row[]; removed: Row[] }): void {
	expect(unsafeGroups(d.added)).toEqual([]);
	expect(unsafeGroups(d.removed)).toEqual([]);
}

/** The release itself: k-anonymous and l-diverse. */
async function expectReleaseSafe(dir: string): Promise<void> {
	const [r] = await wasmRows(`SELECT count(*) FILTER (WHERE n < ${K} OR d < ${L}) AS bad, count(*) AS groups FROM (
		SELECT count(*) AS n, count(DISTINCT allegation_type) AS d FROM ${parquet(dir, 'allegations')} GROUP BY ${QI.join(', ')})`);
	expect(r.groups).toBeGreaterThan(1);
	expect(r.bad).toBe(0);
}

const CODES = JSON.parse(readFileSync(join(ROOT, 'data', 'codes.json'), 'utf8')) as Record<string, Record<string, { aliases?: string[] }>>;
/** A coded value as the input spells it (code or alias) -> the code. */
function codeOf(list: string, text: string): string {
	const t = text.trim().toLowerCase();
	const hit = Object.entries(CODES[list]).find(([code, v]) => code === t || (v.aliases ?? []).some((a) => a.toLowerCase() === t));
	expect(hit, `${list} ${text}`).toBeTruthy();
	return hit![0];
}

const report = (dir: string) => readFileSync(join(dir, 'disclosure-report.md'), 'utf8');
const disclosure = (dir: string) => JSON.parse(readFileSync(join(dir, 'disclosure.json'), 'utf8'));

/**
 * Keep only the first visits and what refers to them (findings, recommendations, their updates):
 * these tests are about allegations, and each of their many runs then takes a fraction of the time.
 * Files keep their encoding and separator.
 */
function keepFewVisits(dir: string, visits: number): void {
	const edit = (name: string, keep: (fields: string[], i: number) => boolean) => {
		const bytes = readFileSync(join(dir, name));
		let cp1251 = false;
		let text: string;
		try {
			text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		} catch {
			cp1251 = true;
			text = iconv.decode(bytes, 'win1251');
		}
		const [head, ...rows] = text.replace(/\n$/, '').split('\n');
		const sep = head.includes(';') ? ';' : ',';
		const kept = rows.filter((r, i) => keep(r.split(sep).map((f) => f.trim()), i));
		expect(kept.length, name).toBeGreaterThan(0);
		const out = [head, ...kept].join('\n') + '\n';
		writeFileSync(join(dir, name), cp1251 ? iconv.encode(out, 'win1251') : out);
	};
	const visitCodes = new Set<string>();
	const recCodes = new Set<string>();
	edit('visits.csv', (f, i) => i < visits && !!visitCodes.add(f[0]));
	edit('findings.csv', (f) => visitCodes.has(f[0]));
	edit('recommendations.csv', (f) => visitCodes.has(f[1]) && !!recCodes.add(f[0]));
	edit('recommendation_updates.csv', (f) => recCodes.has(f[0]));
}

beforeAll(async () => {
	keyFile = writeKey(tempDir(), 'releases-key-0123456789abcdef');
	full = tempDir('releases-raw-');
	await generate({ seed: 41, scale: 0.2, out: full, quiet: true });
	keepFewVisits(full, 40);
	const text = readFileSync(join(full, 'allegations.csv'), 'utf8').replace(/\r\n/g, '\n').trimEnd().split('\n');
	header = text[0];
	lines = text.slice(1);
	base = inputWith(lines.slice(0, -LATER));
	({ out: r1, result: r1Result } = await ingest(base));

	const wb = new ExcelJS.Workbook();
	await wb.xlsx.readFile(join(full, 'facilities.xlsx'));
	const sheet = wb.worksheets[0];
	const head = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
	const names = new Set(['psychiatric', 'психиатрическая больница', 'психбольница', 'психиатриялық аурухана']);
	sheet.eachRow((row, i) => {
		if (i > 1 && !psychiatric && names.has(String(row.getCell(head.indexOf('facility_type')).value).trim().toLowerCase()))
			psychiatric = String(row.getCell(head.indexOf('facility_code')).value).trim();
	});
	expect(psychiatric).toBeTruthy();
}, 300_000);

afterAll(() => cleanupTempDirs());

describe('trial 1: a late-reported allegation is added (a 15-year-old girl, psychiatric hospital)', () => {
	const girl = ['LATE-2023-000001', '17.05.2023', '', 'ngo_hotline', 'sexual', 'medical_social_staff', 'Тестова Айгерим', '01.02.2008', 'female', 'сообщила о насилии', 'under_investigation', ''];
	const target = { facility_type: 'psychiatric', victim_sex: 'female', victim_age_band: 'under_18', report_year: 2023, channel: 'ngo_hotline', allegation_type: 'sexual', perpetrator: 'medical_social_staff', outcome: 'under_investigation' };
	let input: string;
	let protectedRun: { out: string; result: IngestResult };

	beforeAll(async () => {
		girl[2] = psychiatric;
		input = inputWith([...lines.slice(0, -LATER), csvLine(girl)]);
		protectedRun = await ingest(input, { previous: r1 });
	}, 300_000);

	it('with --previous the two releases hold the same rows: the girl is held back, and the report says so', async () => {
		const d = await diff(r1, protectedRun.out);
		expect(noChange(d)).toEqual({ added: [], removed: [] });
		expect(d.kept.length).toBe(r1Result.disclosure!.rows_out);
		expect(protectedRun.result.revision).toMatchObject({ added: 0, held_back: 1 + r1Result.disclosure!.rows_suppressed, unchanged: r1Result.disclosure!.rows_out });
		expect(report(protectedRun.out)).toContain(`| new rows held back | ${1 + r1Result.disclosure!.rows_suppressed} |`);
		expect(report(protectedRun.out)).toMatch(/\| rows that differ: added \/ removed \| 0 \/ 0 \|/);
		await expectReleaseSafe(protectedRun.out);
	});

	it('control, without --previous: the same attack returns her row', async () => {
		const control = await ingest(input);
		const d = await diff(r1, control.out);
		const found = singledOut(d.added, target);
		expect(found.length).toBe(1);
		expect(found[0].allegation_type).toBe('sexual');
	}, 120_000);

	it('a later batch publishes her once her group in the batch is safe, and every comparison stays safe', async () => {
		const next = inputWith([...lines, csvLine(girl)]);
		const r3 = await ingest(next, { previous: protectedRun.out });
		const d = await diff(protectedRun.out, r3.out);
		expect(d.removed).toEqual([]);
		expect(d.added.length).toBeGreaterThanOrEqual(K);
		expectSafe(d);
		expectSafe(await diff(r1, r3.out)); // releases not next to each other
		await expectReleaseSafe(r3.out);
		expect(r3.result.revision!.added + r3.result.revision!.held_back).toBe(LATER + 1 + r1Result.disclosure!.rows_suppressed);
		// The series' history is carried along: three releases, the first made from scratch.
		const history = disclosure(r3.out).release.history;
		expect(history.map((h: { previous: string | null }) => h.previous)).toEqual([null, disclosure(r1).release.id, disclosure(protectedRun.out).release.id]);
		expect(report(r3.out)).toContain('### Releases of this series');
	}, 120_000);
});

describe('trial 2: a typical allegation is added', () => {
	// A copy of an ordinary row of the base under a new case code: same facility, date, person profile.
	const typical = () => {
		const c = splitCsvLine(lines[Math.floor((lines.length - LATER) / 2)]);
		c[0] = 'LATE-TYPICAL-0001';
		return c;
	};

	it('with --previous nothing differs; without, the attack finds it', async () => {
		const c = typical();
		const input = inputWith([...lines.slice(0, -LATER), csvLine(c)]);
		const p = await ingest(input, { previous: r1 });
		expect(noChange(await diff(r1, p.out))).toEqual({ added: [], removed: [] });
		expect(p.result.revision).toMatchObject({ added: 0, held_back: 1 + r1Result.disclosure!.rows_suppressed });
		await expectReleaseSafe(p.out);

		const control = await ingest(input);
		const d = await diff(r1, control.out);
		// The difference returns the row: type, channel, perpetrator and outcome as in the input.
		const target = { allegation_type: codeOf('allegation_type', c[4]), channel: codeOf('channel', c[3]), perpetrator: codeOf('perpetrator', c[5]), outcome: codeOf('outcome', c[10]) };
		expect(singledOut(d.added, target).length).toBeGreaterThanOrEqual(1);
	}, 240_000);
});

describe('trial 3: an existing allegation\'s outcome is corrected to conviction', () => {
	const conviction = new Set(['conviction', 'приговор', 'обвинительный приговор', 'осужден']);
	let input: string;
	let corrected: string[];

	beforeAll(() => {
		// A row of the base with an outcome date and another outcome, corrected to a conviction.
		const i = lines.findIndex((l, j) => j > 100 && j < lines.length - LATER && splitCsvLine(l)[11] !== '' && !conviction.has(splitCsvLine(l)[10].trim().toLowerCase()));
		corrected = splitCsvLine(lines[i]);
		corrected[10] = 'conviction';
		const rows = lines.slice(0, -LATER);
		rows[i] = csvLine(corrected);
		input = inputWith(rows);
	});

	it('without --corrections the correction is pending: the old row is republished and the report says so', async () => {
		const p = await ingest(input, { previous: r1 });
		expect(noChange(await diff(r1, p.out))).toEqual({ added: [], removed: [] });
		expect(p.result.revision!.corrections).toMatchObject({ found: 1, pending: 1, applied_in_place: 0, applied_moved: 0 });
		expect(report(p.out)).toMatch(/\| corrections and deletions pending \| 1 \| not applied/);
	}, 120_000);

	it('with --corrections a lone correction is held back (its group of corrections would be one row)', async () => {
		const p = await ingest(input, { previous: r1, corrections: true });
		expect(noChange(await diff(r1, p.out))).toEqual({ added: [], removed: [] });
		expect(p.result.revision!.corrections).toMatchObject({ found: 1, held_back: 1, applied_in_place: 0, applied_moved: 0 });
		expect(report(p.out)).toMatch(/\| corrections and deletions held back \| 1 \|/);
	}, 120_000);

	it('control, without --previous: the attack returns the corrected row and its old version', async () => {
		const control = await ingest(input);
		const d = await diff(r1, control.out);
		const found = singledOut(d.added, { outcome: 'conviction' });
		expect(found.length).toBe(1);
		// ...and the same person's row before the correction, in the removed side.
		const { outcome: _o, ...rest } = found[0];
		expect(singledOut(d.removed, rest).length).toBe(1);
	}, 120_000);
});

describe('corrections in a batch, and a new batch of rows', () => {
	it('a corrections step applies the corrections that are safe together, holds back the rest, and the difference is safe', async () => {
		// A review: the cases reported in 2016 and 2017 all go to court (corrected in place), those of
		// 2015 were entered twice and are deleted, and the victims of 2014 are recorded as of unknown
		// sex (a quasi-identifier: these rows move to another group).
		const rows = lines
			.slice(0, -LATER)
			.filter((l) => !/\b2015\b/.test(splitCsvLine(l)[1]))
			.map((l) => {
				const c = splitCsvLine(l);
				if (/\b2014\b/.test(c[1])) c[8] = 'unknown';
				else if (/\b(2016|2017)\b/.test(c[1])) {
					c[10] = 'sent_to_court';
					if (!c[11]) c[11] = '31.12.2019';
				} else return l;
				return csvLine(c);
			});
		const p = await ingest(inputWith(rows), { previous: r1, corrections: true });
		const r = p.result.revision!;
		const c = r.corrections;
		expect(c.found).toBeGreaterThan(50);
		expect(c.applied_in_place).toBeGreaterThanOrEqual(K);
		expect(r.deletions.applied).toBeGreaterThanOrEqual(K);
		const d = await diff(r1, p.out);
		expect(d.removed.length).toBe(r.difference.removed_rows);
		expect(d.added.length).toBe(r.difference.added_rows);
		expect(d.removed.length).toBeGreaterThan(0);
		expectSafe(d);
		// The previous rows kept, group by group, are a safe group too where a group was partly changed.
		expect(d.kept.length + d.removed.length).toBe(r1Result.disclosure!.rows_out);
		expect(unsafeGroups(d.kept)).toEqual([]);
		expect(c.held_back).toBeGreaterThan(0); // some groups would have been partly corrected
		await expectReleaseSafe(p.out);
		expect(report(p.out)).toContain(`| corrections applied in place | ${c.applied_in_place} |`);

		// Control: the same corrections made from scratch leave groups of one or two in the difference.
		const control = await ingest(inputWith(rows));
		const dc = await diff(r1, control.out);
		expect(unsafeGroups(dc.added).length + unsafeGroups(dc.removed).length).toBeGreaterThan(0);
	}, 240_000);

	it('the next months come as a batch anonymised on its own: the difference is that batch, and it is safe', async () => {
		const p = await ingest(full, { previous: r1 });
		const r = p.result.revision!;
		expect(r.added).toBeGreaterThanOrEqual(K);
		expect(r.added + r.held_back).toBe(LATER + r1Result.disclosure!.rows_suppressed);
		const d = await diff(r1, p.out);
		expect(d.removed).toEqual([]);
		expect(d.added.length).toBe(r.added);
		expectSafe(d);
		await expectReleaseSafe(p.out);
	}, 120_000);
});

describe('what --previous refuses', () => {
	it('a previous release made with another key: no row matches, nothing is written', async () => {
		const out = join(tempDir(), 'data');
		const r = await runIngest({ input: base, out, keyFile: writeKey(tempDir(), 'another-key-fedcba9876543210'), k: K, previous: r1 });
		expect(r.ok).toBe(false);
		expect(r.errors.shown.join('\n')).toMatch(/--previous .*none of its \d+ allegations matches a case in this input; was it made with another pseudonym key/);
		expect(existsSync(out)).toBe(false);
	}, 120_000);

	it('the previous release says how its allegation ids were made: ids read as HMAC ids (releases before keyed-sha256) are matched as such', async () => {
		expect(disclosure(r1).release.allegation_ids).toBe('keyed-sha256');
		// The same release claiming HMAC ids: its ids are recomputed with HMAC, and then none matches.
		const old = tempDir('hmac-release-');
		cpSync(r1, old, { recursive: true });
		const json = disclosure(old);
		delete json.release.allegation_ids;
		writeFileSync(join(old, 'disclosure.json'), JSON.stringify(json));
		const r = await runIngest({ input: base, out: join(tempDir(), 'data'), keyFile, k: K, previous: old });
		expect(r.ok).toBe(false);
		expect(r.errors.shown.join('\n')).toMatch(/none of its \d+ allegations matches a case in this input/);
		// A scheme this pipeline does not know is named, and nothing is written.
		json.release.allegation_ids = 'sha3-v9';
		writeFileSync(join(old, 'disclosure.json'), JSON.stringify(json));
		const out = join(tempDir(), 'data');
		const u = await runIngest({ input: base, out, keyFile, k: K, previous: old });
		expect(u.ok).toBe(false);
		expect(u.errors.shown.join('\n')).toContain(`--previous ${old}: disclosure.json says its allegation ids were made as "sha3-v9", which this pipeline does not know`);
		expect(existsSync(out)).toBe(false);
	}, 120_000);

	it('a folder without a release id, and --corrections without --previous', async () => {
		const old = tempDir('old-release-');
		cpSync(r1, old, { recursive: true });
		const json = disclosure(old);
		delete json.release;
		writeFileSync(join(old, 'disclosure.json'), JSON.stringify(json));
		const a = await runIngest({ input: GOOD_MINI, out: join(tempDir(), 'data'), keyFile, previous: old });
		expect(a.ok).toBe(false);
		expect(a.errors.shown.join('\n')).toContain('names no release id');
		const b = await runIngest({ input: GOOD_MINI, out: join(tempDir(), 'data'), keyFile, corrections: true });
		expect(b.ok).toBe(false);
		expect(b.errors.shown.join('\n')).toContain('--corrections needs --previous');
	}, 120_000);
});
