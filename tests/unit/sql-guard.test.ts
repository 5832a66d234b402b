import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkSql, tokenize, type GuardReason } from '../../src/lib/portal/sql-guard';
import { createNodeEngine } from '../../src/lib/server/engine-node';
import { CITATION } from '../../src/lib/portal/citation';

/** Every statement here could escape the released tables (files, network, settings, catalogue). */
const REFUSED: [string, GuardReason, string?][] = [
	["COPY allegations TO '/tmp/x.csv'", 'not_read_only', 'copy'],
	["SELECT 1; COPY allegations TO 'x.parquet'", 'multiple'],
	["ATTACH 'other.db' AS o", 'not_read_only', 'attach'],
	['DETACH o', 'not_read_only', 'detach'],
	['INSTALL httpfs', 'not_read_only', 'install'],
	['LOAD httpfs', 'not_read_only', 'load'],
	['SET enable_external_access = true', 'not_read_only', 'set'],
	['RESET ALL', 'not_read_only', 'reset'],
	['PRAGMA database_list', 'not_read_only', 'pragma'],
	['CREATE TABLE t AS SELECT 1', 'not_read_only', 'create'],
	['DROP TABLE allegations', 'not_read_only', 'drop'],
	["INSERT INTO regions VALUES ('x')", 'not_read_only', 'insert'],
	["UPDATE regions SET kind = 'x'", 'not_read_only', 'update'],
	['DELETE FROM regions', 'not_read_only', 'delete'],
	['ALTER TABLE regions ADD COLUMN x INT', 'not_read_only', 'alter'],
	["EXPORT DATABASE '/tmp/out'", 'not_read_only', 'export'],
	["IMPORT DATABASE '/tmp/in'", 'not_read_only', 'import'],
	['CALL pragma_version()', 'not_read_only', 'call'],
	['CHECKPOINT', 'not_read_only', 'checkpoint'],
	['USE memory', 'not_read_only', 'use'],
	['BEGIN TRANSACTION', 'not_read_only', 'begin'],
	["SELECT * FROM read_csv('https://evil.example/x.csv')", 'function', 'read_csv'],
	["SELECT * FROM read_csv_auto('data.csv')", 'function', 'read_csv_auto'],
	["SELECT * FROM read_parquet('allegations.parquet')", 'function', 'read_parquet'],
	["SELECT * FROM read_parquet(['a', 'b'])", 'function', 'read_parquet'],
	["SELECT * FROM read_json_auto('x')", 'function', 'read_json_auto'],
	["SELECT * FROM parquet_scan('x')", 'function', 'parquet_scan'],
	["SELECT * FROM glob('*')", 'function', 'glob'],
	["SELECT * FROM 'https://evil.example/data.parquet'", 'string_path'],
	["SELECT * FROM 'secret.csv'", 'string_path'],
	["SELECT * FROM \"x.parquet\"", 'string_path'],
	["SELECT read_text('/etc/passwd')", 'function', 'read_text'],
	["SELECT * FROM read_blob('x')", 'function', 'read_blob'],
	["SELECT current_setting('enable_external_access')", 'function', 'current_setting'],
	['SELECT * FROM duckdb_settings()', 'function', 'duckdb_settings'],
	['SELECT * FROM duckdb_extensions()', 'function', 'duckdb_extensions'],
	['SELECT * FROM pragma_database_list()', 'function', 'pragma_database_list'],
	["SELECT getenv('HOME')", 'function', 'getenv'],
	["SELECT * FROM query('SELECT 1')", 'function', 'query'],
	["WITH x AS (SELECT 1) SELECT * FROM x; DROP TABLE regions", 'multiple'],
	['SELECT 1 INTO t', 'keyword', 'INTO'],
	["SELECT * FROM sqlite_scan('x.db', 't')", 'function', 'sqlite_scan'],
	["/* hi */ SET threads = 1", 'not_read_only', 'set'],
	['-- comment\nINSTALL httpfs', 'not_read_only', 'install'],
	["SELECT 'unterminated", 'unterminated'],
	['SELECT 1 /* open', 'unterminated'],
	['', 'empty'],
	[';;', 'empty'],
	['EXPLAIN ANALYZE SELECT 1', 'keyword', 'ANALYZE'],
	["SELECT * FROM system.main.regions", 'keyword', 'system'],
	['(COPY regions TO \'x\')', 'not_read_only', 'copy'],
	["SELECT $$/etc/passwd$$", 'string_path'],
	["SELECT * FROM 'data/x'", 'string_path'],
	["SELECT * FROM \"/etc/passwd\"", 'string_path'],
	['SUMMARIZE SELECT * FROM read_csv_auto(\'x\')', 'function', 'read_csv_auto']
];

const ALLOWED = [
	'SELECT count(*) FROM allegations',
	'select report_year, count(*) as n from allegations group by all order by 1;',
	'WITH y AS (SELECT report_year FROM allegations) SELECT count(*) FROM y',
	'DESCRIBE visits',
	'SUMMARIZE findings',
	'EXPLAIN SELECT * FROM regions',
	"SELECT * FROM regions WHERE name_ru = 'Алматы' -- a comment; with a semicolon",
	"SELECT 'it''s; fine' AS s",
	'SELECT r.name_kk, a.allegation_type FROM allegations a JOIN regions r USING (region_code) LIMIT 5',
	'FROM regions',
	'SELECT * FROM duckdb_tables()',
	"SELECT \"set\" FROM (SELECT 1 AS \"set\")"
];

describe('sql guard: refuses every statement that could leave the released tables', () => {
	for (const [sql, reason, detail] of REFUSED) {
		it(`refuses ${JSON.stringify(sql)} (${reason})`, () => {
			const r = checkSql(sql);
			expect(r.ok).toBe(false);
			expect(r.reason).toBe(reason);
			if (detail) expect(r.detail?.toLowerCase()).toBe(detail.toLowerCase());
		});
	}
});

describe('sql guard: allows read-only queries', () => {
	for (const sql of ALLOWED) {
		it(`allows ${JSON.stringify(sql)}`, () => expect(checkSql(sql)).toEqual({ ok: true }));
	}
});

describe('tokenizer', () => {
	it('keeps strings, quoted identifiers and comments apart', () => {
		const t = tokenize(`SELECT "A b", 'x;y' -- c\n/* d */ FROM t`);
		expect(Array.isArray(t) && t.map((x) => `${x.kind}:${x.value}`)).toEqual(['word:select', 'quoted_ident:a b', 'symbol:,', 'string:x;y', 'word:from', 'word:t']);
	});
});

describe('engine lockdown (second line of defence) on the same WASM engine as the browser', () => {
	it('refuses file access, COPY and settings after SET enable_external_access=false + lock_configuration', async () => {
		const engine = await createNodeEngine({ dataDir: 'static/data' });
		const before = await engine.query<{ n: number }>('SELECT count(*) AS n FROM allegations');
		await engine.query('SET enable_external_access=false');
		await engine.query('SET lock_configuration=true');
		// The materialised tables still answer, with the same numbers.
		expect(await engine.query<{ n: number }>('SELECT count(*) AS n FROM allegations')).toEqual(before);
		for (const sql of [
			"SELECT * FROM read_parquet('allegations.parquet')",
			"COPY allegations TO 'x.parquet' (FORMAT PARQUET)",
			"ATTACH 'x.db'",
			"SELECT * FROM glob('*')",
			'SET enable_external_access=true',
			'SET lock_configuration=false'
		]) {
			await expect(engine.query(sql), sql).rejects.toThrow();
		}
		await engine.close();
	});
});

describe('citation', () => {
	it('CITATION.cff states the same title, version and licence as the page', () => {
		const cff = readFileSync('CITATION.cff', 'utf8');
		expect(cff).toContain(`title: "${CITATION.title}"`);
		expect(cff).toContain(`version: "${CITATION.version}"`);
		expect(cff).toContain(`license: ${CITATION.licence}`);
	});
});
