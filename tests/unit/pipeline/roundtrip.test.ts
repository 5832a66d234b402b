/**
 * Round trip: generated monitors' files -> pipeline -> released Parquet read back with the browser's
 * engine. National totals per year of every table must equal those computed here, independently of
 * the pipeline code, from the raw files (for what anonymisation keeps). Also checks the contract's
 * column types as duckdb-wasm 1.28 sees them and the datapackage.json bookkeeping.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { generate } from '../../../scripts/generate/index.ts';
import { cleanupTempDirs, parquet, RELEASED, runIngest, snapshot, tempDir, wasmRows, writeKey, ROOT } from './helpers.ts';

let raw: string;
let out: string;
let conn: DuckDBConnection;
let disclosure: { allegations: { rows_suppressed: number; k: number } };

/** Raw CSV as UTF-8 with `,`, whatever its encoding and separator, loaded as all-VARCHAR table. */
async function loadRaw(name: string): Promise<void> {
	const bytes = readFileSync(join(raw, `${name}.csv`));
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		text = iconv.decode(bytes, 'win1251');
	}
	text = text.replace(/^\uFEFF/, '');
	const sep = text.slice(0, text.indexOf('\n')).includes(';') ? ';' : ',';
	const path = join(raw, `${name}.utf8.tmp`);
	writeFileSync(path, text);
	await conn.run(`CREATE OR REPLACE TABLE raw_${name} AS SELECT * FROM read_csv('${path}', delim='${sep}', header=true, all_varchar=true, quote='"', escape='"')`);
}

/** Independent code mapping for the test, straight from data/codes.json: lower-cased spellings -> code. */
async function loadCodeMap(): Promise<void> {
	const codes = JSON.parse(readFileSync(join(ROOT, 'data', 'codes.json'), 'utf8')) as Record<string, Record<string, { en: string; ru: string; kk: string; aliases: string[] }>>;
	const rows: string[] = [];
	for (const [list, entries] of Object.entries(codes))
		for (const [code, e] of Object.entries(entries))
			for (const s of new Set([code, e.en, e.ru, e.kk, ...e.aliases].map((x) => x.toLowerCase().replace(/ё/g, 'е'))))
				rows.push(`('${list}', '${s.replace(/'/g, "''")}', '${code}')`);
	await conn.run(`CREATE OR REPLACE TABLE code_map AS SELECT * FROM (VALUES ${rows.join(',')}) t(list, spelling, code)`);
}

const yearOf = (col: string) => `(CASE WHEN ${col} LIKE '____-__-__' THEN substr(${col}, 1, 4) ELSE substr(${col}, 7, 4) END)::INTEGER`;
const codeOf = (list: string, col: string) => `(SELECT code FROM code_map m WHERE m.list = '${list}' AND m.spelling = replace(lower(trim(${col})), 'ё', 'е'))`;

async function rawRows(sql: string): Promise<Record<string, number | string | null>[]> {
	return (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : (v as number | string | null)])));
}

const asMap = (rows: Record<string, unknown>[], key = 'y', value = 'n') => Object.fromEntries(rows.map((r) => [String(r[key]), Number(r[value])]));

beforeAll(async () => {
	raw = tempDir('roundtrip-raw-');
	out = join(tempDir('roundtrip-out-'), 'data');
	await generate({ seed: 11, scale: 0.05, out: raw, quiet: true });
	const result = await runIngest({ input: raw, out, keyFile: writeKey(tempDir(), 'roundtrip-key-0123456789abcdef') });
	expect(result.errors.shown).toEqual([]);
	expect(result.ok).toBe(true);
	disclosure = JSON.parse(readFileSync(join(out, 'disclosure.json'), 'utf8'));
	const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
	conn = await instance.connect();
	for (const t of ['population', 'visits', 'findings', 'allegations', 'recommendations', 'recommendation_updates']) await loadRaw(t);
	await loadCodeMap();
}, 600_000); // generous: shared CI machines can be slow

afterAll(() => cleanupTempDirs());

describe('generator', () => {
	it('is deterministic for a seed', async () => {
		const a = tempDir();
		const b = tempDir();
		await generate({ seed: 5, scale: 0.01, out: a, quiet: true });
		await generate({ seed: 5, scale: 0.01, out: b, quiet: true });
		expect(snapshot(a)).toEqual(snapshot(b));
		const c = tempDir();
		await generate({ seed: 6, scale: 0.01, out: c, quiet: true });
		expect(snapshot(c)['allegations.csv']).not.toEqual(snapshot(a)['allegations.csv']);
	}, 300_000);

	it('scales the allegation volume (scale 0.05 -> 500 rows)', async () => {
		const n = (await rawRows('SELECT count(*) AS n FROM raw_allegations'))[0].n;
		expect(n).toBe(500);
	});
});

describe('round trip: released totals equal raw totals', () => {
	it('visits per year and per body', async () => {
		const rawBy = asMap(await rawRows(`SELECT ${yearOf('visit_date')} AS y, count(*) AS n FROM raw_visits GROUP BY 1`));
		const relBy = asMap(await wasmRows(`SELECT year(visit_month) AS y, count(*) AS n FROM ${parquet(out, 'visits')} GROUP BY 1`));
		expect(relBy).toEqual(rawBy);
		const rawNpm = asMap(await rawRows(`SELECT ${yearOf('visit_date')} AS y, count(*) AS n FROM raw_visits WHERE ${codeOf('body', 'body')} = 'npm' GROUP BY 1`));
		const relNpm = asMap(await wasmRows(`SELECT year(visit_month) AS y, count(*) AS n FROM ${parquet(out, 'visits')} WHERE body = 'npm' GROUP BY 1`));
		expect(relNpm).toEqual(rawNpm);
		expect(Object.keys(relBy).map(Number).sort()).toEqual([2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025]);
	});

	it('findings per year (through their visit)', async () => {
		const rawBy = asMap(await rawRows(`SELECT ${yearOf('v.visit_date')} AS y, count(*) AS n FROM raw_findings f JOIN raw_visits v USING (visit_code) GROUP BY 1`));
		const relBy = asMap(await wasmRows(`SELECT year(visit_month) AS y, count(*) AS n FROM ${parquet(out, 'findings')} GROUP BY 1`));
		expect(relBy).toEqual(rawBy);
	});

	it('recommendations and their follow-up events per year', async () => {
		const rawRec = asMap(await rawRows(`SELECT ${yearOf('issued_date')} AS y, count(*) AS n FROM raw_recommendations GROUP BY 1`));
		const relRec = asMap(await wasmRows(`SELECT year(issued_month) AS y, count(*) AS n FROM ${parquet(out, 'recommendations')} GROUP BY 1`));
		expect(relRec).toEqual(rawRec);
		const rawEv = asMap(await rawRows(`SELECT ${yearOf('update_date')} AS y, count(*) AS n FROM raw_recommendation_updates GROUP BY 1`));
		const relEv = asMap(await wasmRows(`SELECT year(event_month) AS y, count(*) AS n FROM ${parquet(out, 'recommendation_events')} GROUP BY 1`));
		expect(relEv).toEqual(rawEv);
		// Implemented per year of issue: the latest status of each recommendation.
		const rawImpl = asMap(
			await rawRows(`WITH u AS (SELECT recommendation_code, ${codeOf('status', 'status')} AS s, row_number() OVER (PARTITION BY recommendation_code ORDER BY (CASE WHEN update_date LIKE '____-__-__' THEN update_date ELSE substr(update_date,7,4)||'-'||substr(update_date,4,2)||'-'||substr(update_date,1,2) END) DESC) AS rn FROM raw_recommendation_updates)
			SELECT ${yearOf('r.issued_date')} AS y, count(*) AS n FROM raw_recommendations r JOIN u ON u.recommendation_code = r.recommendation_code AND u.rn = 1 WHERE u.s = 'implemented' GROUP BY 1`)
		);
		const relImpl = asMap(await wasmRows(`SELECT year(issued_month) AS y, count(*) AS n FROM ${parquet(out, 'recommendations')} WHERE status = 'implemented' GROUP BY 1`));
		expect(relImpl).toEqual(rawImpl);
	});

	it('people held and residents per year', async () => {
		const rawBy = asMap(await rawRows(`SELECT year::INTEGER AS y, sum(detainees::BIGINT) AS n FROM raw_population GROUP BY 1`));
		const relBy = asMap(await wasmRows(`SELECT year AS y, sum(detainees)::BIGINT AS n FROM ${parquet(out, 'region_year')} GROUP BY 1`));
		expect(relBy).toEqual(rawBy);
		const rawRes = asMap(await rawRows(`SELECT year::INTEGER AS y, sum(residents::BIGINT) AS n FROM raw_population GROUP BY 1`));
		const relRes = asMap(await wasmRows(`SELECT year AS y, sum(residents)::BIGINT AS n FROM ${parquet(out, 'region_year')} GROUP BY 1`));
		expect(relRes).toEqual(rawRes);
	});

	it('facilities (from the Excel file) per type', async () => {
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.readFile(join(raw, 'facilities.xlsx'));
		const sheet = wb.worksheets[0];
		const header = (sheet.getRow(1).values as string[]).slice(1);
		const typeCol = header.indexOf('facility_type') + 1;
		const types: string[] = [];
		sheet.eachRow((row, n) => {
			if (n > 1) types.push(String(row.getCell(typeCol).value));
		});
		await conn.run(`CREATE OR REPLACE TABLE raw_fac AS SELECT unnest([${types.map((t) => `'${t.replace(/'/g, "''")}'`).join(',')}]) AS facility_type`);
		const rawBy = asMap(await rawRows(`SELECT ${codeOf('facility_type', 'facility_type')} AS y, count(*) AS n FROM raw_fac GROUP BY 1`));
		const relBy = asMap(await wasmRows(`SELECT facility_type AS y, count(*) AS n FROM ${parquet(out, 'facilities')} GROUP BY 1`));
		expect(relBy).toEqual(rawBy);
	});

	it('allegations: kept rows per year and type add up to the raw totals', async () => {
		const rawBy = asMap(await rawRows(`SELECT ${yearOf('report_date')} AS y, count(*) AS n FROM raw_allegations GROUP BY 1`));
		const relBy = asMap(await wasmRows(`SELECT coalesce(report_year, 0) AS y, count(*) AS n FROM ${parquet(out, 'allegations')} GROUP BY 1`));
		const dropped = disclosure.allegations.rows_suppressed;
		const rawTotal = Object.values(rawBy).reduce((a, b) => a + b, 0);
		const relTotal = Object.values(relBy).reduce((a, b) => a + b, 0);
		expect(relTotal + dropped).toBe(rawTotal);
		// A year can only lose rows (suppressed year, removed rows), never gain them.
		let lost = 0;
		for (const [y, n] of Object.entries(rawBy)) {
			expect(relBy[y] ?? 0).toBeLessThanOrEqual(n);
			lost += n - (relBy[y] ?? 0);
		}
		expect(lost).toBe((relBy['0'] ?? 0) + dropped);
		// allegation_type and outcome are not quasi-identifiers: their totals survive except removed rows.
		for (const col of ['allegation_type', 'outcome']) {
			const rawT = asMap(await rawRows(`SELECT ${codeOf(col, col)} AS y, count(*) AS n FROM raw_allegations GROUP BY 1`));
			const relT = asMap(await wasmRows(`SELECT ${col} AS y, count(*) AS n FROM ${parquet(out, 'allegations')} GROUP BY 1`));
			let diff = 0;
			for (const [k, n] of Object.entries(rawT)) {
				expect(relT[k] ?? 0).toBeLessThanOrEqual(n);
				diff += n - (relT[k] ?? 0);
			}
			expect(diff).toBe(dropped);
		}
	});
});

describe('released files', () => {
	const CONTRACT: Record<string, Record<string, string>> = {
		regions: { region_code: 'VARCHAR', name_en: 'VARCHAR', name_ru: 'VARCHAR', name_kk: 'VARCHAR', kind: 'VARCHAR', predecessor: 'VARCHAR' },
		region_year: { region_code: 'VARCHAR', year: 'INTEGER', residents: 'BIGINT', detainees: 'INTEGER' },
		facilities: { facility_id: 'VARCHAR', region_code: 'VARCHAR', facility_type: 'VARCHAR', authority: 'VARCHAR', security_level: 'VARCHAR', capacity_band: 'VARCHAR' },
		visits: { visit_id: 'VARCHAR', facility_id: 'VARCHAR', region_code: 'VARCHAR', facility_type: 'VARCHAR', authority: 'VARCHAR', visit_month: 'DATE', visit_type: 'VARCHAR', body: 'VARCHAR', team_size: 'INTEGER', detainees_present: 'INTEGER' },
		findings: { visit_id: 'VARCHAR', facility_id: 'VARCHAR', region_code: 'VARCHAR', facility_type: 'VARCHAR', visit_month: 'DATE', indicator: 'VARCHAR', value: 'DOUBLE', meets_standard: 'BOOLEAN' },
		allegations: { allegation_id: 'VARCHAR', report_year: 'INTEGER', report_quarter: 'INTEGER', region_code: 'VARCHAR', facility_type: 'VARCHAR', authority: 'VARCHAR', channel: 'VARCHAR', allegation_type: 'VARCHAR', perpetrator: 'VARCHAR', victim_sex: 'VARCHAR', victim_age_band: 'VARCHAR', outcome: 'VARCHAR' },
		recommendations: { recommendation_id: 'VARCHAR', visit_id: 'VARCHAR', facility_id: 'VARCHAR', region_code: 'VARCHAR', facility_type: 'VARCHAR', issued_month: 'DATE', theme: 'VARCHAR', addressee: 'VARCHAR', priority: 'VARCHAR', status: 'VARCHAR', status_month: 'DATE', implemented_month: 'DATE' },
		recommendation_events: { recommendation_id: 'VARCHAR', event_month: 'DATE', status: 'VARCHAR' }
	};

	it('have exactly the contract columns and types in duckdb-wasm 1.28 (DuckDB 0.9.1)', async () => {
		for (const table of RELEASED) {
			const cols = await wasmRows(`DESCRIBE SELECT * FROM ${parquet(out, table)}`);
			expect(Object.fromEntries(cols.map((c) => [c.column_name, c.column_type])), table).toEqual(CONTRACT[table]);
		}
		const months = await wasmRows(`SELECT count(*) AS n FROM ${parquet(out, 'visits')} WHERE day(visit_month) <> 1`);
		expect(months[0].n).toBe(0);
	});

	it('datapackage.json lists every table with rows, bytes and sha256', async () => {
		const pkg = JSON.parse(readFileSync(join(out, 'datapackage.json'), 'utf8'));
		expect(pkg.licenses[0].name).toBe('CC-BY-4.0');
		expect(pkg.synthetic).toBe(true);
		expect(pkg.resources.map((r: { name: string }) => r.name)).toEqual(RELEASED);
		for (const r of pkg.resources) {
			const bytes = readFileSync(join(out, r.path));
			expect(r.bytes).toBe(bytes.length);
			expect(r.hash).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
			const n = await wasmRows(`SELECT count(*) AS n FROM ${parquet(out, r.name)}`);
			expect(r.rows).toBe(n[0].n);
			expect(r.schema.fields.length).toBeGreaterThan(0);
		}
		const alleg = pkg.resources.find((r: { name: string }) => r.name === 'allegations');
		const typeField = alleg.schema.fields.find((f: { name: string }) => f.name === 'allegation_type');
		expect(typeField.constraints.enum).toContain('torture');
	});
});
