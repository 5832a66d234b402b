/**
 * The SQL console's first line of defence: a tokeniser and a statement validator. Only one
 * read-only statement (SELECT / WITH / DESCRIBE / SUMMARIZE / EXPLAIN / VALUES / TABLE / FROM ...)
 * over the released tables passes; anything that could reach files, the network, settings or
 * the catalogue is refused with a reason. The second line is the engine itself (console.ts:
 * external access disabled and configuration locked after the tables are loaded), so a gap here
 * is not an escape. Pure: no DOM, no DuckDB.
 */

export type TokenKind = 'word' | 'quoted_ident' | 'string' | 'number' | 'symbol';
export interface Token {
	kind: TokenKind;
	/** Lower-cased for words; the raw text otherwise (quotes removed for identifiers). */
	value: string;
	pos: number;
}

export type GuardReason =
	| 'empty'
	| 'multiple'
	| 'not_read_only'
	| 'keyword'
	| 'function'
	| 'string_path'
	| 'unterminated'
	| 'too_long';

export interface GuardResult {
	ok: boolean;
	reason?: GuardReason;
	/** The offending word, function or table (for the message). */
	detail?: string;
}

export const MAX_SQL_LENGTH = 20_000;

const STARTERS = new Set(['select', 'with', 'describe', 'summarize', 'explain', 'values', 'from', 'table', 'show']);

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
	'arrow_scan', 'query', 'query_table', 'getenv', 'current_setting', 'duckdb_settings', 'duckdb_extensions',
	'duckdb_secrets', 'duckdb_databases', 'duckdb_temporary_files', 'duckdb_functions', 'pragma_database_list',
	'pragma_storage_info', 'load_aws_credentials', 'read_xlsx', 'st_read', 'httpfs', 'from_json', 'enable_profiling',
	'system', 'shell', 'pg_read_file', 'checkpoint', 'force_checkpoint', 'export_database'
]);

/** URL or path-looking string literals are refused outright: no query over released tables needs one. */
const PATH_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|\/|\.\.?\/|~|[a-z]:\\)|\.(?:parquet|csv|tsv|json|ndjson|db|duckdb|sqlite|txt|gz|zst|arrow|xlsx)$/i;

export function tokenize(sql: string): Token[] | { error: 'unterminated'; pos: number } {
	const tokens: Token[] = [];
	let i = 0;
	const n = sql.length;
	while (i < n) {
		const c = sql[i];
		if (/\s/.test(c)) {
			i++;
		} else if (c === '-' && sql[i + 1] === '-') {
			while (i < n && sql[i] !== '\n') i++;
		} else if (c === '/' && sql[i + 1] === '*') {
			const end = sql.indexOf('*/', i + 2);
			if (end < 0) return { error: 'unterminated', pos: i };
			i = end + 2;
		} else if (c === "'" || ((c === 'e' || c === 'E') && sql[i + 1] === "'")) {
			const start = i;
			i += c === "'" ? 1 : 2;
			let value = '';
			for (;;) {
				if (i >= n) return { error: 'unterminated', pos: start };
				if (sql[i] === "'" && sql[i + 1] === "'") {
					value += "'";
					i += 2;
				} else if (sql[i] === "'") {
					i++;
					break;
				} else value += sql[i++];
			}
			tokens.push({ kind: 'string', value, pos: start });
		} else if (c === '$' && /[A-Za-z_$]/.test(sql[i + 1] ?? '') && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
			// Dollar-quoted string: $tag$ ... $tag$
			const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))![0];
			const end = sql.indexOf(tag, i + tag.length);
			if (end < 0) return { error: 'unterminated', pos: i };
			tokens.push({ kind: 'string', value: sql.slice(i + tag.length, end), pos: i });
			i = end + tag.length;
		} else if (c === '"') {
			const start = i;
			i++;
			let value = '';
			for (;;) {
				if (i >= n) return { error: 'unterminated', pos: start };
				if (sql[i] === '"' && sql[i + 1] === '"') {
					value += '"';
					i += 2;
				} else if (sql[i] === '"') {
					i++;
					break;
				} else value += sql[i++];
			}
			tokens.push({ kind: 'quoted_ident', value: value.toLowerCase(), pos: start });
		} else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
			const start = i;
			while (i < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[i])) i++;
			tokens.push({ kind: 'word', value: sql.slice(start, i).toLowerCase(), pos: start });
		} else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
			const start = i;
			while (i < n && /[0-9._eE]/.test(sql[i])) i++;
			tokens.push({ kind: 'number', value: sql.slice(start, i), pos: start });
		} else {
			tokens.push({ kind: 'symbol', value: c, pos: i });
			i++;
		}
	}
	return tokens;
}

/**
 * Check one statement typed into the console. Table and column names are not checked here:
 * the console engine holds only the released tables, and DuckDB names unknown ones itself.
 */
export function checkSql(sql: string): GuardResult {
	if (sql.length > MAX_SQL_LENGTH) return { ok: false, reason: 'too_long' };
	const tokens = tokenize(sql);
	if (!Array.isArray(tokens)) return { ok: false, reason: 'unterminated' };
	// Trailing semicolons are fine; any other semicolon starts a second statement.
	let end = tokens.length;
	while (end > 0 && tokens[end - 1].kind === 'symbol' && tokens[end - 1].value === ';') end--;
	const body = tokens.slice(0, end);
	if (!body.length) return { ok: false, reason: 'empty' };
	if (body.some((t) => t.kind === 'symbol' && t.value === ';')) return { ok: false, reason: 'multiple' };

	let first = 0;
	while (first < body.length && body[first].kind === 'symbol' && body[first].value === '(') first++;
	const start = body[first];
	if (!start || start.kind !== 'word' || !STARTERS.has(start.value)) {
		return { ok: false, reason: 'not_read_only', detail: start?.value };
	}

	for (let i = 0; i < body.length; i++) {
		const t = body[i];
		const next = body[i + 1];
		// Strings and quoted names that look like files or URLs: DuckDB's replacement scans would read them.
		if ((t.kind === 'string' || t.kind === 'quoted_ident') && PATH_LIKE.test(t.value.trim())) return { ok: false, reason: 'string_path', detail: t.value.slice(0, 60) };
		if (t.kind !== 'word' && t.kind !== 'quoted_ident') continue;
		const isCall = next?.kind === 'symbol' && next.value === '(';
		if (t.kind === 'word' && DENIED_KEYWORDS.has(t.value) && !isQuotedContext(body, i)) {
			return { ok: false, reason: 'keyword', detail: t.value.toUpperCase() };
		}
		if (isCall && (DENIED_FUNCTIONS.has(t.value) || t.value.startsWith('pragma_') || (t.value.startsWith('duckdb_') && t.value !== 'duckdb_tables' && t.value !== 'duckdb_columns'))) {
			return { ok: false, reason: 'function', detail: t.value };
		}
		// FROM / JOIN followed by a string literal is a file scan ("SELECT * FROM 'x.csv'").
		if (t.kind === 'word' && (t.value === 'from' || t.value === 'join') && next?.kind === 'string') {
			return { ok: false, reason: 'string_path', detail: next.value.slice(0, 60) };
		}
		// Schema-qualified names reach other catalogues (e.g. an attached database, system.*).
		if (next?.kind === 'symbol' && next.value === '.' && (t.value === 'system' || t.value === 'temp' || t.value === 'information_schema' || t.value === 'pg_catalog')) {
			return { ok: false, reason: 'keyword', detail: t.value };
		}
	}
	return { ok: true };
}

/** `x.set`, `AS "set"` style uses are harmless, but a bare keyword is refused: only column refs after a dot pass. */
function isQuotedContext(tokens: Token[], i: number): boolean {
	const prev = tokens[i - 1];
	return prev?.kind === 'symbol' && prev.value === '.';
}
