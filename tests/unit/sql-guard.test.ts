import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { agreesWithEngine, checkSql, tokenize, type GuardReason } from '../../src/lib/portal/sql-guard';
import { EXAMPLES } from '../../src/lib/portal/examples';
import { startNodeDuckDB } from '../../src/lib/server/engine-node';
import { arrowToRows } from '../../src/lib/engine/rows';
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
	['SELECT * FROM duckdb_settings()', 'catalog', 'duckdb_settings'],
	['SELECT * FROM duckdb_extensions()', 'catalog', 'duckdb_extensions'],
	['SELECT * FROM pragma_database_list()', 'catalog', 'pragma_database_list'],
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
	["SELECT * FROM system.main.regions", 'catalog', 'system'],
	['(COPY regions TO \'x\')', 'not_read_only', 'copy'],
	// A typo is a syntax error, not a refusal on permissions.
	['SELEC 1', 'syntax', 'selec'],
	['slect * from regions', 'syntax', 'slect'],
	['INSERT INTO regions VALUES (1)', 'not_read_only', 'insert'],
	["SELECT $$/etc/passwd$$", 'string_path'],
	["SELECT * FROM 'data/x'", 'string_path'],
	["SELECT * FROM \"/etc/passwd\"", 'string_path'],
	['SUMMARIZE SELECT * FROM read_csv_auto(\'x\')', 'function', 'read_csv_auto'],
	// Found by an independent run (issue 11): the guard read these differently from the engine.
	["SELECT E'\\'' AS a; DROP TABLE allegations --'", 'multiple'],
	["SELECT e'\\'' AS a; SELECT current_setting('threads') --'", 'multiple'],
	["SELECT 1 -- comment\r; DROP TABLE allegations", 'multiple'],
	["SELECT 1 -- comment\r\nDROP TABLE allegations", 'keyword', 'DROP'],
	['FROM pg_settings', 'catalog', 'pg_settings'],
	['FROM duckdb_databases', 'catalog', 'duckdb_databases'],
	['SELECT name, setting FROM pg_catalog.pg_settings', 'catalog', 'pg_catalog'],
	['SELECT * FROM "PG_SETTINGS"', 'catalog', 'pg_settings'],
	['SELECT * FROM information_schema.tables', 'catalog', 'information_schema'],
	['SELECT * FROM sqlite_master', 'catalog', 'sqlite_master'],
	['SELECT * FROM duckdb_tables()', 'catalog', 'duckdb_tables'],
	['SELECT * FROM temp.main.x', 'catalog', 'temp'],
	['SHOW DATABASES', 'catalog', 'SHOW DATABASES'],
	// Every string, name and comment form, with a statement the old guard did not see.
	["SELECT $$;$$; DROP TABLE allegations", 'multiple'],
	["SELECT $a$ $$ ' $a$; DROP TABLE allegations", 'multiple'],
	["SELECT 'a'\n'b'; DROP TABLE allegations", 'multiple'],
	['SELECT 1 /* /* */ */; DROP TABLE allegations', 'multiple'],
	['SELECT "a""b"; DROP TABLE allegations', 'multiple'],
	["SELECT E'\\\\'; DROP TABLE allegations", 'multiple'],
	// Forms this engine cannot read, and characters it reads differently from its tokeniser.
	["SELECT U&'\\0041'", 'lexer'],
	['SELECT U&"a"', 'lexer'],
	["SELECT E'\\u0041'", 'lexer'],
	["SELECT E'\\xff'", 'lexer'],
	['SELECT ""', 'lexer'],
	["SELECT $a$ x", 'unterminated'],
	['SELECT 1 /* /* */', 'unterminated'],
	["SELECT 'x'\n'", 'unterminated'],
	['SELECT\u00a01', 'character', 'U+00A0'],
	['SELECT 1\u3000; DROP TABLE allegations', 'character', 'U+3000'],
	['SELECT 1\ufeff', 'character', 'U+FEFF'],
	['SELECT 1\u0000; DROP TABLE allegations', 'character', 'U+0000'],
	['SELECT 1 -- \ud800', 'character', 'U+D800']
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
	"SELECT \"set\" FROM (SELECT 1 AS \"set\")",
	// Strings, names and comments in every form the engine knows, holding what would be refused outside them.
	"SELECT E'it\\'s; DROP TABLE x --' AS s",
	"SELECT $$; DROP TABLE x$$, $t$ $$ ' \" -- $t$ AS s",
	"SELECT 1 /* a /* nested; DROP TABLE x */ comment */ AS n",
	'SELECT 1 -- DROP TABLE x\n',
	'SELECT 1 -- DROP TABLE x\r',
	"SELECT 'a'\n'b; DROP TABLE x' AS s",
	'SELECT "it""s; DROP" FROM (SELECT 1 AS "it""s; DROP")',
	"SELECT pg_typeof(1), B'0101', X'1F', N'x', 1::INTEGER, 1..2 AS y",
	';SELECT 1;;'
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
	const kinds = (sql: string) => {
		const t = tokenize(sql);
		return Array.isArray(t) ? t.map((x) => `${x.kind}:${x.value}`) : t.error;
	};
	it('keeps strings, quoted identifiers and comments apart', () => {
		expect(kinds(`SELECT "A b", 'x;y' -- c\n/* d */ FROM t`)).toEqual(['word:select', 'quoted_ident:a b', 'symbol:,', 'string:x;y', 'word:from', 'word:t']);
	});
	it.each([
		// E-strings: a backslash escapes the next character, a quote included; '' is a quote too.
		[`E'\\'' AS a; x --'`, ['string:\'', 'word:as', 'word:a', 'symbol:;', 'word:x']],
		[`E'a\\\\' b`, ['string:a\\', 'word:b']],
		[`e'\\x41\\101\\n''' x`, ["string:AA\n'", 'word:x']],
		// A standard string has no escapes: its backslash is a character.
		[`'a\\' b`, ['string:a\\', 'word:b']],
		// -- ends at \n or \r; block comments nest.
		['a -- x\rb -- y\nc', ['word:a', 'word:b', 'word:c']],
		['a /* 1 /* 2 */ 3 */ b', ['word:a', 'word:b']],
		// Dollar quoting with and without a tag; a different tag inside is text.
		['$$a$b$$ $t$ $$ $t$ $1 x$$y', ['string:a$b', 'string: $$ ', 'param:$1', 'word:x$$y']],
		// Parts of a string separated by a newline are one string (comments allowed between them).
		[`'a' -- c\n  'b' 'c'`, ['string:ab', 'string:c']],
		// B'' and X'' end at the first quote; N'' is the keyword NCHAR and a string.
		[`B'01''10' N'x'`, ['string:01', 'string:10', 'word:nchar', 'string:x']],
		// Numbers and operators as the engine splits them.
		['1..2 .5e3 1e 1.e+ a::b *- @- ->> <=/**/>', ['number:1', 'symbol:..', 'number:2', 'number:.5e3', 'number:1', 'word:e', 'number:1.', 'word:e', 'symbol:+', 'word:a', 'symbol:::', 'word:b', 'symbol:*', 'symbol:-', 'symbol:@-', 'symbol:->>', 'symbol:<=', 'symbol:>']],
		['$a ?1 ? #', ['symbol:$', 'word:a', 'param:?1', 'param:?', 'symbol:#']]
	])('%j', (sql, expected) => expect(kinds(sql)).toEqual(expected));
});

describe('agreesWithEngine', () => {
	it("agrees with the engine's tokeniser on the console's examples and refuses any difference", async () => {
		const { db, conn } = await startNodeDuckDB();
		try {
			for (const { sql } of EXAMPLES) expect(agreesWithEngine(sql, db.tokenize(sql)), sql).toEqual({ ok: true });
			const sql = "SELECT 'Алматы' AS a, E'\\'' -- x\n FROM regions";
			const t = db.tokenize(sql);
			expect(agreesWithEngine(sql, t)).toEqual({ ok: true });
			// A token the engine starts elsewhere, one it has more or fewer of, or of another kind.
			expect(agreesWithEngine(sql, { offsets: t.offsets.map((o, i) => (i === 2 ? o + 1 : o)), types: t.types }).reason).toBe('engine');
			expect(agreesWithEngine(sql, { offsets: t.offsets.slice(0, -1), types: t.types.slice(0, -1) }).reason).toBe('engine');
			expect(agreesWithEngine(sql, { offsets: [...t.offsets, sql.length], types: [...t.types, 3] }).reason).toBe('engine');
			expect(agreesWithEngine(sql, { offsets: t.offsets, types: t.types.map((k, i) => (i === 1 ? 1 : k)) }).reason).toBe('engine');
		} finally {
			conn.close();
			db.reset();
		}
	});
});

describe("the engine's catalogue and settings", () => {
	/** Table functions that only generate values (no file, setting or catalogue behind them). */
	const GENERATORS = ['range', 'generate_series', 'unnest', 'repeat', 'repeat_row', 'summary', 'test_all_types', 'test_vector_types'];

	it('refuses every view, table function and pragma the engine has, except value generators', async () => {
		const { db, conn } = await startNodeDuckDB();
		const rows = (sql: string) => arrowToRows<Record<string, string>>(conn.query(sql));
		try {
			const views = rows("SELECT DISTINCT schema_name AS s, view_name AS v FROM duckdb_views() WHERE internal");
			expect(views.map((r) => r.v)).toContain('pg_settings');
			expect(views.map((r) => r.v)).toContain('duckdb_databases');
			const resolves = (sql: string) => {
				try {
					conn.query(sql);
					return true;
				} catch {
					return false;
				}
			};
			for (const { s, v } of views) {
				expect(checkSql(`SELECT * FROM ${s}.${v}`).ok, `${s}.${v}`).toBe(false);
				// Unqualified, where the engine's search path finds the view (main, pg_catalog).
				if (!resolves(`SELECT * FROM ${v} LIMIT 0`)) continue;
				for (const sql of [`FROM ${v}`, `SELECT * FROM "${v.toUpperCase()}"`, `SELECT 1 FROM (SELECT 1) t, ${v}`]) expect(checkSql(sql).ok, sql).toBe(false);
			}
			const functions = rows("SELECT DISTINCT function_name AS f, function_type AS t FROM duckdb_functions() WHERE function_type IN ('table', 'table_macro', 'pragma')");
			expect(functions.length).toBeGreaterThan(50);
			for (const { f, t } of functions) {
				if (t === 'pragma') expect(checkSql(`PRAGMA ${f}`).ok, f).toBe(false);
				else if (GENERATORS.includes(f)) expect(checkSql(`SELECT * FROM ${f}(1)`), f).toEqual({ ok: true });
				else expect(checkSql(`SELECT * FROM ${f}()`).ok, f).toBe(false);
			}
			// Scalar functions that read a setting.
			expect(checkSql("SELECT current_setting('threads')").ok).toBe(false);
		} finally {
			conn.close();
			db.reset();
		}
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
