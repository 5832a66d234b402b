/**
 * The SQL console's first line of defence: a tokeniser and a statement validator. Only one
 * read-only statement (SELECT / WITH / DESCRIBE / SUMMARIZE / EXPLAIN / VALUES / TABLE / FROM ...)
 * over the released tables passes; anything that could reach files, the network, settings or
 * the catalogue is refused with a reason. Pure: no DOM, no DuckDB.
 *
 * The tokeniser follows the lexer of the engine the console runs (DuckDB v0.9.1, its copy of the
 * PostgreSQL scanner, scan.l), rule by rule, so that both see the same strings, comments and
 * statement ends: standard strings with '' escapes, E'...' strings with backslash escapes, B'...'
 * and X'...' strings, adjacent string parts joined across a newline ('a'<newline>'b'), dollar
 * quoting $$...$$ and $tag$...$tag$, nested block comments, -- comments ended by \n or \r,
 * double-quoted names with "" escapes, and the engine's operator and number rules. Forms that
 * this engine cannot read (U&'...', \u escapes) are refused rather than guessed at. Two checks
 * keep the guard and the engine from disagreeing silently:
 * - a differential fuzz test (tests/unit/sql-guard-fuzz.test.ts) compares tokens, statement count
 *   and statement kind with the real engine on thousands of generated statements;
 * - the console session (engine/console.ts) compares the guard's tokens with the engine's own
 *   tokeniser before every run (agreesWithEngine) and lets the engine prepare exactly one
 *   statement, so a second statement hidden from the guard is refused, never run.
 * The engine lockdown (console.ts: external access off, configuration locked) is the last line.
 */

export type TokenKind = 'word' | 'quoted_ident' | 'string' | 'number' | 'param' | 'symbol';
export interface Token {
	kind: TokenKind;
	/** Lower-cased for words and quoted names (quotes removed); the decoded text of a string; the raw text otherwise. */
	value: string;
	/** Start and end (exclusive) in the SQL text (UTF-16 code units). */
	pos: number;
	end: number;
}

/** Where the engine's lexer fails too; `tokens` are those before the failing one (the engine's tokeniser reports the same). */
export type LexError = { error: 'unterminated' | 'lexer'; pos: number; tokens: Token[] };
type ScanError = { error: LexError['error']; pos: number };

export type GuardReason =
	| 'empty'
	| 'multiple'
	| 'not_read_only'
	| 'syntax'
	| 'keyword'
	| 'function'
	| 'catalog'
	| 'string_path'
	| 'unterminated'
	| 'lexer'
	| 'character'
	| 'engine'
	| 'too_long';

export interface GuardResult {
	ok: boolean;
	reason?: GuardReason;
	/** The offending word, function, table, character or position (for the message). */
	detail?: string;
}

export const MAX_SQL_LENGTH = 20_000;

const STARTERS = new Set(['select', 'with', 'describe', 'summarize', 'explain', 'values', 'from', 'table', 'show']);

/** Every other word DuckDB starts a statement with: refused as not read-only. Any other first word is a syntax error (a typo such as SELEC). */
const OTHER_STATEMENTS = new Set(['insert', 'update', 'delete', 'create', 'drop', 'alter', 'copy', 'attach', 'detach', 'install', 'load', 'pragma', 'set', 'reset', 'call', 'export', 'import', 'checkpoint', 'force', 'vacuum', 'analyze', 'begin', 'commit', 'rollback', 'start', 'abort', 'end', 'transaction', 'prepare', 'execute', 'deallocate', 'use', 'merge', 'pivot', 'unpivot', 'pivot_wider', 'pivot_longer', 'truncate', 'comment', 'update_extensions', 'upsert', 'replace']);

/** Statements and clauses that change state or reach outside. Refused anywhere in the text. */
const DENIED_KEYWORDS = new Set([
	'copy', 'attach', 'detach', 'install', 'load', 'set', 'reset', 'pragma', 'create', 'drop', 'insert', 'update', 'delete',
	'alter', 'export', 'import', 'call', 'checkpoint', 'vacuum', 'use', 'begin', 'commit', 'rollback', 'transaction',
	'prepare', 'execute', 'deallocate', 'truncate', 'grant', 'revoke', 'merge', 'upsert', 'replace', 'analyze', 'comment',
	'into', 'secret', 'force'
]);

/** Table functions and scalar functions that read files, URLs, settings or the catalogue. */
const DENIED_FUNCTIONS = new Set([
	'read_csv', 'read_csv_auto', 'read_parquet', 'parquet_scan', 'parquet_metadata', 'parquet_schema', 'parquet_file_metadata',
	'parquet_kv_metadata', 'read_json', 'read_json_auto', 'read_json_objects', 'read_ndjson', 'read_ndjson_auto',
	'read_ndjson_objects', 'json_scan', 'read_text', 'read_blob', 'glob', 'sniff_csv', 'csv_scan', 'iceberg_scan',
	'delta_scan', 'sqlite_scan', 'sqlite_attach', 'postgres_scan', 'postgres_attach', 'mysql_scan', 'scan_arrow_ipc',
	'arrow_scan', 'arrow_scan_dumb', 'index_scan', 'seq_scan', 'query', 'query_table', 'getenv', 'current_setting',
	'load_aws_credentials', 'read_xlsx', 'st_read', 'httpfs', 'from_json', 'enable_profiling', 'system', 'shell',
	'pg_read_file', 'checkpoint', 'force_checkpoint', 'export_database'
]);

/**
 * The engine's catalogue and settings, readable without a function call (FROM pg_settings, FROM
 * duckdb_databases): names refused wherever they appear, quoted or not. Prefixes cover the
 * duckdb_*, pragma_* and pg_* views, table functions and macros; a unit test lists every view,
 * table function and pragma of the engine and checks that each is refused.
 */
const CATALOG_PREFIXES = ['duckdb_', 'pragma_', 'pg_'];
const CATALOG_NAMES = new Set(['information_schema', 'pg_catalog', 'sqlite_master', 'sqlite_schema', 'sqlite_temp_master', 'sqlite_temp_schema']);
/** Harmless names under those prefixes. */
const CATALOG_ALLOWED = new Set(['pg_typeof']);
/** Catalogues reachable as a qualifier (system.main.x, temp.x). */
const CATALOG_QUALIFIERS = new Set(['system', 'temp']);

/** URL or path-looking string literals are refused outright: no query over released tables needs one. */
const PATH_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|\/|\.\.?\/|~|[a-z]:\\)|\.(?:parquet|csv|tsv|json|ndjson|db|duckdb|sqlite|txt|gz|zst|arrow|xlsx)$/i;

/**
 * Characters the engine reads differently from its own tokeniser, or cannot receive: the parser
 * replaces these Unicode spaces by ordinary spaces with a quote tracker of its own (before
 * parsing, not before tokenising), a NUL ends the text on its way into the engine, and a lone
 * surrogate has no UTF-8 form. Refused wherever they are.
 */
// eslint-disable-next-line no-control-regex
const BAD_CHARACTER = /[\u0000\u00a0\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
/** [A-Za-z\200-\377_]: every non-ASCII character is UTF-8 bytes of 0x80 and above. */
const isIdentStart = (c: string | undefined) => c !== undefined && (/^[A-Za-z_]$/.test(c) || c.charCodeAt(0) >= 0x80);
const isIdentCont = (c: string | undefined) => isIdentStart(c) || isDigit(c) || c === '$';
const isDolqCont = (c: string | undefined) => isIdentStart(c) || isDigit(c);
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
const isNewline = (c: string | undefined) => c === '\n' || c === '\r';
const OP_CHARS = '~!@^&|`+-*/%<>=';
const isOpChar = (c: string | undefined) => c !== undefined && c !== '' && OP_CHARS.includes(c);
/** Operators the lexer names before its generic operator rule (it wins a tie of lengths). */
const SPECIAL_OPERATORS = ['->>', '->', '**', '//', '=>', '<=', '>=', '<>', '!='];

/** Index just past a -- comment: the next \n or \r (not included), or the end. */
function lineCommentEnd(sql: string, i: number): number {
	let j = i + 2;
	while (j < sql.length && !isNewline(sql[j])) j++;
	return j;
}

/**
 * After the closing quote at `j - 1`: the index of the quote that continues the same string
 * (whitespace holding a newline between the parts, -- comments allowed), or -1.
 */
function continuation(sql: string, j: number): number {
	let k = j;
	for (;;) {
		const c = sql[k];
		if (c === ' ' || c === '\t' || c === '\f') k++;
		else if (c === '-' && sql[k + 1] === '-') k = lineCommentEnd(sql, k);
		else break;
	}
	if (!isNewline(sql[k])) return -1;
	k++;
	for (;;) {
		if (isSpace(sql[k])) k++;
		else if (sql[k] === '-' && sql[k + 1] === '-') {
			const e = lineCommentEnd(sql, k);
			if (e >= sql.length) return -1;
			k = e + 1;
		} else break;
	}
	return sql[k] === "'" ? k : -1;
}

const ESCAPES = new Map([['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t']]);

/**
 * A quoted string from its opening quote at `open`. `mode`: 'q' standard ('' is a quote), 'e'
 * with backslash escapes, 'b' bit and hex strings (end at the first quote).
 */
function scanString(sql: string, open: number, mode: 'q' | 'e' | 'b'): { value: string; end: number } | ScanError {
	const n = sql.length;
	let j = open + 1;
	let value = '';
	// The engine cannot check the encoding of a string whose escapes made a NUL or a non-ASCII
	// byte: such a string is a syntax error there.
	let unchecked = false;
	for (;;) {
		if (j >= n) return { error: 'unterminated', pos: open };
		const c = sql[j];
		if (c === "'") {
			if (mode !== 'b' && sql[j + 1] === "'") {
				value += "'";
				j += 2;
				continue;
			}
			const next = continuation(sql, j + 1);
			if (next >= 0) {
				j = next + 1;
				continue;
			}
			j++;
			break;
		}
		if (mode === 'e' && c === '\\') {
			const e = sql[j + 1];
			if (e === undefined) return { error: 'unterminated', pos: open };
			if (e >= '0' && e <= '7') {
				let k = j + 1;
				while (k < j + 4 && sql[k] >= '0' && sql[k] <= '7') k++;
				const code = parseInt(sql.slice(j + 1, k), 8) & 0xff;
				if (code === 0 || code >= 0x80) unchecked = true;
				value += String.fromCharCode(code);
				j = k;
			} else if (e === 'x' && isHex(sql[j + 2])) {
				const k = isHex(sql[j + 3]) ? j + 4 : j + 3;
				const code = parseInt(sql.slice(j + 2, k), 16);
				if (code === 0 || code >= 0x80) unchecked = true;
				value += String.fromCharCode(code);
				j = k;
			} else if (e === 'u' || e === 'U') {
				// \uXXXX and \UXXXXXXXX: the engine's lexer fails on every one of them.
				return { error: 'lexer', pos: open };
			} else {
				if (e.charCodeAt(0) >= 0x80) unchecked = true;
				value += ESCAPES.get(e) ?? e;
				j += 2;
			}
			continue;
		}
		value += c;
		j++;
	}
	if (unchecked) return { error: 'lexer', pos: open };
	return { value, end: j };
}

/** The length of the operator starting at `i` (a character of OP_CHARS, not a comment start). */
function operatorLength(sql: string, i: number): number {
	let run = 0;
	while (isOpChar(sql[i + run])) run++;
	const special = SPECIAL_OPERATORS.find((s) => sql.startsWith(s, i))?.length ?? 0;
	if (special >= run) return Math.max(special, 1);
	// The generic rule: stop before an embedded comment start, then drop a trailing + or - unless
	// the operator holds a character SQL operators do not use.
	const text = sql.slice(i, i + run);
	let len = run;
	for (const start of ['/*', '--']) {
		const at = text.indexOf(start);
		if (at >= 0 && at < len) len = at;
	}
	while (len > 1 && (text[len - 1] === '+' || text[len - 1] === '-')) {
		if (/[~!@^&|`?%]/.test(text.slice(0, len - 1))) break;
		len--;
	}
	return len;
}

export function tokenize(sql: string): Token[] | LexError {
	const tokens: Token[] = [];
	const n = sql.length;
	const push = (kind: TokenKind, value: string, pos: number, end: number) => tokens.push({ kind, value, pos, end });
	const fail = (error: LexError['error'], pos: number): LexError => ({ error, pos, tokens });
	let i = 0;
	while (i < n) {
		const c = sql[i];
		const next = sql[i + 1];
		if (isSpace(c)) {
			i++;
		} else if (c === '-' && next === '-') {
			i = lineCommentEnd(sql, i);
		} else if (c === '/' && next === '*') {
			// Block comments nest.
			let depth = 0;
			let j = i + 2;
			for (;;) {
				if (j >= n) return fail('unterminated', i);
				if (sql[j] === '/' && sql[j + 1] === '*') {
					depth++;
					j += 2;
				} else if (sql[j] === '*' && sql[j + 1] === '/') {
					j += 2;
					if (depth-- === 0) break;
				} else j++;
			}
			i = j;
		} else if (isIdentStart(c)) {
			const lower = c.toLowerCase();
			if (next === "'" && (lower === 'e' || lower === 'b' || lower === 'x')) {
				const s = scanString(sql, i + 1, lower === 'e' ? 'e' : 'b');
				if ('error' in s) return fail(s.error, s.pos);
				push('string', s.value, i, s.end);
				i = s.end;
			} else if (next === "'" && lower === 'n') {
				// N'...': the keyword NCHAR, then a standard string.
				push('word', 'nchar', i, i + 1);
				i++;
			} else if (lower === 'u' && next === '&' && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
				// U&'...' and U&"...": the engine's lexer fails on every one of them.
				return fail('lexer', i);
			} else {
				let j = i + 1;
				while (isIdentCont(sql[j])) j++;
				push('word', sql.slice(i, j).toLowerCase(), i, j);
				i = j;
			}
		} else if (isDigit(c) || (c === '.' && isDigit(next))) {
			let j = i;
			while (isDigit(sql[j])) j++;
			if (sql[j] === '.' && !(sql[j + 1] === '.' && j > i)) {
				j++;
				while (isDigit(sql[j])) j++;
			}
			if (sql[j] === 'e' || sql[j] === 'E') {
				let k = j + 1;
				if (sql[k] === '+' || sql[k] === '-') k++;
				if (isDigit(sql[k])) {
					while (isDigit(sql[k])) k++;
					j = k;
				}
			}
			push('number', sql.slice(i, j), i, j);
			i = j;
		} else if (c === "'") {
			const s = scanString(sql, i, 'q');
			if ('error' in s) return fail(s.error, s.pos);
			push('string', s.value, i, s.end);
			i = s.end;
		} else if (c === '"') {
			let j = i + 1;
			let value = '';
			for (;;) {
				if (j >= n) return fail('unterminated', i);
				if (sql[j] === '"' && sql[j + 1] === '"') {
					value += '"';
					j += 2;
				} else if (sql[j] === '"') {
					j++;
					break;
				} else value += sql[j++];
			}
			if (!value) return fail('lexer', i);
			push('quoted_ident', value.toLowerCase(), i, j);
			i = j;
		} else if (c === '$') {
			let j = i + 1;
			if (isIdentStart(sql[j])) while (isDolqCont(sql[j])) j++;
			if (sql[j] === '$') {
				// Dollar quoting: $tag$ ... $tag$, nothing inside is special.
				const tag = sql.slice(i, j + 1);
				const close = sql.indexOf(tag, j + 1);
				if (close < 0) return fail('unterminated', i);
				push('string', sql.slice(j + 1, close), i, close + tag.length);
				i = close + tag.length;
			} else if (isDigit(next)) {
				j = i + 1;
				while (isDigit(sql[j])) j++;
				push('param', sql.slice(i, j), i, j);
				i = j;
			} else {
				push('symbol', '$', i, i + 1);
				i++;
			}
		} else if (c === '?') {
			let j = i + 1;
			while (isDigit(sql[j])) j++;
			push('param', sql.slice(i, j), i, j);
			i = j;
		} else if ((c === ':' && (next === ':' || next === '=')) || (c === '.' && next === '.')) {
			push('symbol', c + next, i, i + 2);
			i += 2;
		} else if (isOpChar(c)) {
			const len = operatorLength(sql, i);
			push('symbol', sql.slice(i, i + len), i, i + len);
			i += len;
		} else {
			push('symbol', c, i, i + 1);
			i++;
		}
	}
	return tokens;
}

/** The statements of a token list: split at every ';', empty ones left out (as the engine does). */
export function splitStatements(tokens: Token[]): Token[][] {
	const out: Token[][] = [[]];
	for (const t of tokens) {
		if (t.kind === 'symbol' && t.value === ';') out.push([]);
		else out[out.length - 1].push(t);
	}
	return out.filter((s) => s.length);
}

/** A statement's kind: its first word after any opening parentheses (e.g. 'select', 'drop'). */
export function statementKind(statement: Token[]): string | undefined {
	let first = 0;
	while (first < statement.length && statement[first].kind === 'symbol' && statement[first].value === '(') first++;
	const t = statement[first];
	return t?.kind === 'word' ? t.value : undefined;
}

function badCharacter(sql: string): string | undefined {
	const m = BAD_CHARACTER.exec(sql);
	return m ? 'U+' + m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') : undefined;
}

const isCatalogName = (name: string) =>
	!CATALOG_ALLOWED.has(name) && (CATALOG_NAMES.has(name) || CATALOG_PREFIXES.some((p) => name.startsWith(p)));

/**
 * Check one statement typed into the console. Table and column names are not checked here:
 * the console engine holds only the released tables, and DuckDB names unknown ones itself.
 */
export function checkSql(sql: string): GuardResult {
	if (sql.length > MAX_SQL_LENGTH) return { ok: false, reason: 'too_long' };
	const bad = badCharacter(sql);
	if (bad) return { ok: false, reason: 'character', detail: bad };
	const tokens = tokenize(sql);
	if (!Array.isArray(tokens)) return { ok: false, reason: tokens.error };
	const statements = splitStatements(tokens);
	if (!statements.length) return { ok: false, reason: 'empty' };
	if (statements.length > 1) return { ok: false, reason: 'multiple' };
	const body = statements[0];

	const kind = statementKind(body);
	if (!kind || !STARTERS.has(kind)) {
		const first = body.find((t) => !(t.kind === 'symbol' && t.value === '('));
		if (!kind || !OTHER_STATEMENTS.has(kind)) return { ok: false, reason: 'syntax', detail: first?.value };
		return { ok: false, reason: 'not_read_only', detail: first?.value };
	}

	for (let i = 0; i < body.length; i++) {
		const t = body[i];
		const next = body[i + 1];
		const prev = body[i - 1];
		// Strings and quoted names that look like files or URLs: DuckDB's replacement scans would read them.
		if ((t.kind === 'string' || t.kind === 'quoted_ident') && PATH_LIKE.test(t.value.trim())) return { ok: false, reason: 'string_path', detail: t.value.slice(0, 60) };
		if (t.kind !== 'word' && t.kind !== 'quoted_ident') continue;
		const isCall = next?.kind === 'symbol' && next.value === '(';
		const afterDot = prev?.kind === 'symbol' && prev.value === '.';
		// `x.set`, `AS "set"` style uses are harmless, but a bare keyword is refused.
		if (t.kind === 'word' && DENIED_KEYWORDS.has(t.value) && !afterDot) {
			return { ok: false, reason: 'keyword', detail: t.value.toUpperCase() };
		}
		if (isCall && DENIED_FUNCTIONS.has(t.value)) return { ok: false, reason: 'function', detail: t.value };
		if (isCatalogName(t.value)) return { ok: false, reason: 'catalog', detail: t.value };
		// Qualified names that reach other catalogues (system.main.x, temp.x).
		if (CATALOG_QUALIFIERS.has(t.value) && next?.kind === 'symbol' && next.value === '.') return { ok: false, reason: 'catalog', detail: t.value };
		// SHOW DATABASES lists the attached databases.
		if (t.kind === 'word' && t.value === 'databases' && prev?.kind === 'word' && prev.value === 'show') return { ok: false, reason: 'catalog', detail: 'SHOW DATABASES' };
		// FROM / JOIN followed by a string literal is a file scan ("SELECT * FROM 'x.csv'").
		if (t.kind === 'word' && (t.value === 'from' || t.value === 'join') && next?.kind === 'string') {
			return { ok: false, reason: 'string_path', detail: next.value.slice(0, 60) };
		}
	}
	return { ok: true };
}

/** DuckDB-WASM's token classes (TokenType in @duckdb/duckdb-wasm): what each guard token may be. */
export const ENGINE_TOKEN_TYPES: Record<TokenKind, readonly number[]> = {
	// 0 identifier, 1 number, 2 string, 3 operator, 4 keyword (the engine names :: .. -> ** // keywords too)
	word: [0, 4],
	quoted_ident: [0],
	number: [1],
	string: [2],
	param: [3],
	symbol: [3, 4]
};

/** The guard's tokens as the engine reports its own: start offsets in UTF-8 bytes, and kinds. */
export function byteOffsets(sql: string, tokens: Token[]): number[] {
	const out: number[] = [];
	let bytes = 0;
	let at = 0;
	for (const t of tokens) {
		for (; at < t.pos; at++) {
			const code = sql.charCodeAt(at);
			// A surrogate pair is four bytes, two for each half.
			bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdfff ? 2 : 3;
		}
		out.push(bytes);
	}
	return out;
}

export interface EngineTokens {
	offsets: readonly number[];
	types: readonly number[];
}

/**
 * The guard's tokens compared with the engine's own tokeniser (DuckDB-WASM's tokenize(), the
 * scanner its parser uses): same starts, compatible kinds. Any difference refuses the query.
 */
export function agreesWithEngine(sql: string, engine: EngineTokens): GuardResult {
	const tokens = tokenize(sql);
	if (!Array.isArray(tokens)) return { ok: false, reason: tokens.error };
	const offsets = byteOffsets(sql, tokens);
	const count = Math.max(tokens.length, engine.offsets.length);
	for (let i = 0; i < count; i++) {
		const t = tokens[i];
		if (!t || offsets[i] !== engine.offsets[i] || !ENGINE_TOKEN_TYPES[t.kind].includes(engine.types[i])) {
			return { ok: false, reason: 'engine', detail: String((t?.pos ?? sql.length) + 1) };
		}
	}
	return { ok: true };
}

/** Thrown by the console session when the guard refuses a statement (the page shows the reason). */
export class SqlRefusedError extends Error {
	constructor(readonly result: GuardResult) {
		super(`Refused by the SQL guard: ${result.reason}${result.detail ? ` (${result.detail})` : ''}`);
		this.name = 'SqlRefusedError';
	}
}
