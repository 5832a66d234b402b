import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeDuckDB } from '../../src/lib/server/engine-node';
import { byteOffsets, checkSql, ENGINE_TOKEN_TYPES, splitStatements, statementKind, tokenize, type Token } from '../../src/lib/portal/sql-guard';
import { rng } from './helpers/small-dataset';

/**
 * Differential fuzzing: the SQL guard against the engine the console runs (the Node build of the
 * same DuckDB-WASM, v0.9.1). Seeded generators mix every string, name and comment form the lexer
 * knows; for each text the guard's tokens must be the engine's own (tokenize(), the scanner its
 * parser uses), and for valid SQL the statement count (the engine's prepare) and each statement's
 * kind (from executing it alone on a scratch engine) must be the guard's.
 */
type Node = Awaited<ReturnType<typeof startNodeDuckDB>>;
let engine: Node;
beforeAll(async () => {
	engine = await startNodeDuckDB();
	engine.conn.query('CREATE TABLE t AS SELECT 1 AS i');
});
afterAll(() => {
	engine.conn.close();
	engine.db.reset();
});

function generators(seed: number) {
	const r = rng(seed);
	const int = (n: number) => Math.floor(r() * n);
	const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
	const times = (min: number, max: number, f: () => string, sep = '') => Array.from({ length: min + int(max - min + 1) }, f).join(sep);

	/** Characters that mean something somewhere: quotes, escapes, comment and statement markers. */
	const TRICKY = ["'", '"', '\\', ';', '$', '-', '/', '*', '\n', '\r', '\t', ' ', 'E', 'e', 'a', 'Ж', '1', '(', ')', '?', ':', '.', '#', '&', 'U'];
	const SEQUENCES = ['--', '/*', '*/', '$$', '$t$', "''", '""', "\\'", '\\\\', "'; DROP TABLE t; --", '; SELECT 1', 'E\'', 'U&'];
	const anything = () => times(0, 8, () => (r() < 0.3 ? pick(SEQUENCES) : pick(TRICKY)));

	// Literals and names, each valid SQL by construction.
	const stdString = () => "'" + anything().replaceAll("'", "''") + "'";
	const eString = () =>
		pick(['E', 'e']) +
		"'" +
		times(0, 8, () =>
			pick([
				() => pick(TRICKY.filter((c) => c !== "'" && c !== '\\')),
				() => pick(['\\\\', "\\'", "''", '\\n', '\\t', '\\x41', '\\101', '\\;', '\\"', '\\$', '\\-', '\\/*', '\\\n'])
			])()
		) +
		"'";
	const dollarString = () => {
		const tag = pick(['', 't', 'tag', 'x_1', 'Ж']);
		const body = anything().split(`$${tag}$`).join('');
		// A body ending in "$" followed by the closing "$tag$" could close the quote early.
		return `$${tag}$${body.endsWith('$') ? body + ' ' : body}$${tag}$`;
	};
	const continued = () => stdString() + pick(['\n', ' \n ', '\r', ' -- c\n', '\n-- c\n  ', '\r\n']) + stdString();
	const otherString = () => pick(["B'0101'", "X'1F'", "N'x'", "b'1'"]);
	const number = () => pick(['1', '42', '1.5', '.5', '1e3', '1.e-2', '2.']);
	const quotedName = () => '"' + (anything().replaceAll('"', '""') || 'x') + '"';
	const lineComment = () => '--' + anything().replace(/[\n\r]/g, '') + pick(['\n', '\r', '\r\n']);
	const blockComment = (depth = 2): string =>
		'/*' + times(0, 4, () => (depth > 0 && r() < 0.3 ? blockComment(depth - 1) : pick(TRICKY.filter((c) => c !== '/' && c !== '*')))) + '*/';
	const gap = () => pick([' ', ' ', '\n', '\t', '\r', '\f', () => ' ' + lineComment(), () => ' ' + blockComment() + ' '].map((g) => (typeof g === 'string' ? () => g : g)))();
	const literal = () => pick([stdString, eString, dollarString, continued, otherString, number, stdString, eString])();
	const expr = (): string =>
		pick([literal, literal, () => `${number()}${gap()}+${gap()}${number()}`, () => `${stdString()}${gap()}||${gap()}${eString()}`, () => `${number()}::INTEGER`, () => `(${literal()})`])();
	const item = () => expr() + (r() < 0.5 ? `${gap()}AS${gap()}${pick([quotedName, () => pick(['a', 'b1', '_z', 'x$y'])])()}` : '');
	const items = () => times(1, 3, item, `${' '},${' '}`);

	let n = 0;
	const STATEMENTS: Record<string, () => string> = {
		select: () => `SELECT${gap()}${items()}`,
		values: () => `VALUES${gap()}(${expr()},${gap()}${expr()})`,
		with: () => `WITH${gap()}q AS (SELECT${gap()}${items()})${gap()}SELECT * FROM q`,
		paren: () => `(SELECT${gap()}${items()})`,
		describe: () => `DESCRIBE${gap()}SELECT${gap()}${items()}`,
		from: () => `FROM${gap()}t`,
		drop: () => `DROP TABLE IF EXISTS${gap()}nope_${n++}`,
		create: () => `CREATE OR REPLACE TABLE w_${n++} AS SELECT${gap()}${expr()}`,
		insert: () => `INSERT INTO t VALUES (${number()}::INTEGER)`,
		set: () => `SET${gap()}default_order${gap()}=${gap()}'asc'`
	};
	const READ = ['select', 'values', 'with', 'paren', 'describe', 'from'];
	const statement = () => STATEMENTS[r() < 0.6 ? pick(READ) : pick(Object.keys(STATEMENTS))]();

	return {
		/** Valid SQL: one to three statements, gaps of every kind, a trailing ; or comment. */
		valid: () =>
			pick(['', ' ', '\n', () => lineComment(), () => blockComment()].map((g) => (typeof g === 'string' ? () => g : g)))() +
			times(1, 3, statement, `${gap()};${gap()}`) +
			pick(['', ';', ' ;', () => gap(), () => ' --' + anything().replace(/[\n\r]/g, '')].map((g) => (typeof g === 'string' ? () => g : g)))(),
		/** Anything: fragments in any order, unterminated, forms the engine cannot read. */
		soup: () =>
			times(1, 12, () =>
				pick([
					literal,
					quotedName,
					lineComment,
					() => blockComment(),
					anything,
					() => pick(TRICKY),
					() => pick(["'unterminated", '"unterminated', '$t$ x', '/* x', "E'\\", "E'\\u0041'", "E'\\xff'", "U&'x'", 'U&"x"', 'u&x', '""', "E'\\0'"]),
					() => pick(['::', '..', '1..2', '.5e', '1e+', '->>', '<=-', '*-', '@-', '!=', '=>', '**', '//', '$1', '$a', '?1', '?', '#', '\v', '{', '}', '[', ']']),
					() => pick(['a', 'b1', 'Жол', 'x$y', '_z', 'SELECT', 'FROM', 'AS', 'DROP', 'E', 'x', 'b', 'n', 'u', '1', '2.5'])
				])(), ' '.repeat(int(2)))
	};
}

/** The engine's tokens and the guard's, as [UTF-8 offset, kind] pairs. */
function engineTokens(sql: string): [number, number][] {
	const t = engine.db.tokenize(sql);
	return t.offsets.map((o, i) => [o, t.types[i]]);
}
function guardTokens(sql: string): { tokens: Token[]; error?: string } {
	const t = tokenize(sql);
	return Array.isArray(t) ? { tokens: t } : { tokens: t.tokens, error: t.error };
}

/** Same starts and compatible kinds (the guard names fewer kinds than the engine). */
function expectSameTokens(sql: string) {
	const guard = guardTokens(sql);
	const offsets = byteOffsets(sql, guard.tokens);
	const mine = guard.tokens.map((t, i) => [offsets[i], t.kind] as const);
	const theirs = engineTokens(sql);
	const same = mine.length === theirs.length && mine.every(([o, k], i) => o === theirs[i][0] && ENGINE_TOKEN_TYPES[k].includes(theirs[i][1]));
	if (!same) expect({ sql, guard: mine, guardError: guard.error }).toEqual({ sql, guard: theirs, guardError: guard.error });
	return guard;
}

/** How many statements the engine prepares from the text: 0, 1 or 'many'. */
function enginePrepares(sql: string): 0 | 1 | 'many' {
	try {
		engine.conn.prepare(sql).close();
		return 1;
	} catch (err) {
		const message = (err as Error).message;
		if (/No statement to prepare/.test(message)) return 0;
		if (/multiple statements/.test(message)) return 'many';
		// Parsed as one statement; binding failed.
		if (!/Parser Error/.test(message)) return 1;
		throw new Error(`The generator made invalid SQL (${message.split('\n')[0]}): ${JSON.stringify(sql)}`);
	}
}

/** What a statement did when the engine ran it alone: read, wrote rows, or changed the catalogue/settings. */
function engineKind(sql: string): 'read' | 'write' | 'statement' {
	const stmt = engine.conn.prepare(sql);
	try {
		const result: { schema: { fields: { name: string }[] } } = stmt.query();
		const names = result.schema.fields.map((f) => f.name);
		if (names.length === 1 && names[0] === 'Success') return 'statement';
		if (names.length === 1 && names[0] === 'Count') return 'write';
		return 'read';
	} finally {
		stmt.close();
	}
}

/** The engine's statements: the text cut at the engine's own ';' tokens, empty pieces left out. */
function engineStatements(sql: string): string[] {
	const bytes = Buffer.from(sql, 'utf8');
	const t = engine.db.tokenize(sql);
	const pieces: { from: number; to: number; tokens: number }[] = [{ from: 0, to: bytes.length, tokens: 0 }];
	t.offsets.forEach((o, i) => {
		if (t.types[i] === 3 && bytes[o] === 0x3b) {
			pieces[pieces.length - 1].to = o;
			pieces.push({ from: o + 1, to: bytes.length, tokens: 0 });
		} else pieces[pieces.length - 1].tokens++;
	});
	return pieces.filter((p) => p.tokens).map((p) => bytes.subarray(p.from, p.to).toString('utf8'));
}

const GUARD_KIND: Record<string, 'read' | 'write' | 'statement'> = {
	select: 'read', values: 'read', with: 'read', describe: 'read', from: 'read',
	drop: 'statement', set: 'statement', create: 'write', insert: 'write'
};

describe('the SQL guard against the engine (seeded differential fuzzing)', () => {
	it('valid SQL: same tokens, same statement count, same kind of each statement (2,000 texts)', () => {
		const g = generators(20140401);
		let multiple = 0;
		let accepted = 0;
		for (let i = 0; i < 2000; i++) {
			const sql = g.valid();
			const guard = expectSameTokens(sql);
			expect(guard.error, sql).toBeUndefined();
			const mine = splitStatements(guard.tokens);
			const prepared = enginePrepares(sql);
			expect(mine.length === 0 ? 0 : mine.length === 1 ? 1 : 'many', sql).toBe(prepared);
			const theirs = engineStatements(sql);
			expect(theirs.length, sql).toBe(mine.length);
			expect(mine.map((s) => GUARD_KIND[statementKind(s)!] ?? statementKind(s)), sql).toEqual(theirs.map(engineKind));
			if (mine.length > 1) multiple++;
			// What the guard lets through is one statement that only reads, for the engine too.
			if (checkSql(sql).ok) {
				accepted++;
				expect([prepared, engineKind(theirs[0])], sql).toEqual([1, 'read']);
			}
		}
		// The generator reaches both sides of every question.
		expect(multiple).toBeGreaterThan(300);
		expect(accepted).toBeGreaterThan(300);
	});

	it('any text: the guard sees the tokens the engine sees, up to where both fail (3,000 texts)', () => {
		const g = generators(20231017);
		let failed = 0;
		for (let i = 0; i < 3000; i++) {
			const sql = g.soup();
			if (guardTokens(sql).error) failed++;
			expectSameTokens(sql);
		}
		expect(failed).toBeGreaterThan(300);
	});

	it('the statements found by an independent run (issue 11) split as the engine splits them', () => {
		for (const [sql, count] of [
			["SELECT E'\\'' AS a; DROP TABLE t --'", 2],
			["SELECT e'\\'' AS a; SELECT current_setting('threads') --'", 2],
			['SELECT 1 -- x\r; DROP TABLE t', 2],
			['SELECT 1 /* a /* b */ c */; DROP TABLE t', 2],
			["SELECT $$;$$, $a$ $$ ' $a$; DROP TABLE t", 2],
			["SELECT 'a'\n'; DROP TABLE t'", 1],
			["SELECT E'\\\\'; DROP TABLE t", 2]
		] as const) {
			const guard = expectSameTokens(sql);
			expect(splitStatements(guard.tokens).length, sql).toBe(count);
			expect(enginePrepares(sql), sql).toBe(count === 1 ? 1 : 'many');
			expect(checkSql(sql).ok, sql).toBe(count === 1);
		}
	});
});
