/**
 * Reading one monitors' file with DuckDB, as text: a Source is the SQL that yields the file's rows
 * (one VARCHAR column per column of the schema that the file has; dropped columns such as names and
 * free text are parsed but never stored), which validate.ts reads twice (the distinct values of each
 * column, then the typed rows). DuckDB's CSV reader parses a CSV file once, in parallel, into a
 * Parquet copy of those columns in the run's private work folder; both reads are of the copy.
 *
 * CSV: the header is read here (separator, column names) and the encoding decided: UTF-8 (with or
 * without BOM) is read directly; a file that is not valid UTF-8 is converted from Windows-1251 to a
 * UTF-8 copy in the run's private work folder (DuckDB 1.5 reads only UTF-8, UTF-16 and Latin-1
 * without its encodings extension, which the pipeline does not load). The first scan is strict;
 * only if DuckDB finds a row it cannot split into the header's columns is the file scanned again to
 * collect every such row (store_rejects, slower) for messages with their line, and the other rows
 * are then read past them. Excel: the rows are read with ExcelJS into a UTF-8 CSV in the work
 * folder, with the sheet's row numbers.
 *
 * Rows have a position: DuckDB's record number for a CSV (the order of the file), the sheet's row
 * number for a workbook. lines() turns positions into the lines a text editor shows, and rawAt()
 * gives the text of some rows as the user typed it; both read the file again, so they are used
 * only for the (at most 100 per kind) rows a message is about.
 */
import { createReadStream, createWriteStream, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CsvParser } from './csv.ts';
import { lit, queryRows } from './db.ts';
import { at, type ErrorCollector } from './errors.ts';
import { linesAtBytes, recordLines } from './lines.ts';
import { checkTextFile, fileSize, readXlsx, type SourceFile } from './read.ts';
import type { ColumnSpec, TableSpec } from './schema.ts';

export interface Source {
	table: string;
	file: SourceFile;
	/** Schema columns present in the file (the rows have a column of each, named as in the schema). */
	present: Set<string>;
	/** True when the rows carry their position as column _line (workbooks); else it is the row's order. */
	positioned: boolean;
	/** SQL of the rows. */
	rowsSql(): string;
	/** SQL of the rows with their position as _line (slower for a CSV: used for messages only). */
	numberedSql(): string;
	/** The first scan: runs `SELECT <select> FROM rows`, reporting rows that cannot be read. */
	firstScan<T>(select: string): Promise<T>;
	/** Line (as a text editor or Excel shows it) of each given position. */
	lines(positions: number[]): Map<number, number>;
	/** A column's text, as typed, at some positions. */
	rawAt(column: string, positions: number[]): Promise<Map<number, string>>;
}

/** Header names compare without case, spaces or BOM: "Visit Code" = "visit_code". */
export function headerKey(name: string): string {
	return name.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Check the header against the schema; returns each schema column's position (-1: absent) or null. */
function checkHeader(cells: string[], spec: TableSpec, name: string, errors: ErrorCollector): number[] | null {
	const keys = cells.map(headerKey);
	const seen = new Map<string, number>();
	keys.forEach((k, i) => {
		if (k !== '' && seen.has(k)) errors.add(`${name}: column ${k} appears twice in the header (columns ${seen.get(k)! + 1} and ${i + 1}; expected each column once)`);
		seen.set(k, i);
	});
	const index = spec.columns.map((c) => seen.get(c.name) ?? -1);
	const missing = spec.columns.filter((c, i) => index[i] < 0 && !c.optional).map((c) => c.name);
	if (missing.length > 0) {
		errors.add(`${name}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected columns: ${spec.columns.map((c) => c.name + (c.optional ? ' (optional)' : '')).join(', ')}; found: ${cells.join(', ')})`);
		return null;
	}
	const known = new Set(spec.columns.map((c) => c.name));
	const extra = keys.filter((k) => k !== '' && !known.has(k));
	if (extra.length > 0) errors.warn(`${name}: column${extra.length > 1 ? 's' : ''} ${extra.join(', ')} not used; ignored`);
	return index;
}

const stored = (c: ColumnSpec) => c.value.kind !== 'drop';
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface Header {
	cells: string[];
	line: number;
	separator: string;
	utf8: boolean;
}

/** First record of a CSV file (from its first MB), its separator, and whether that part is UTF-8. */
function readHeader(path: string): Header | null {
	const fd = openSync(path, 'r');
	const head = Buffer.alloc(1 << 20);
	const n = readSync(fd, head, 0, head.length, 0);
	closeSync(fd);
	let bytes = head.subarray(0, n);
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
	let text: string;
	let utf8 = true;
	try {
		// stream: a character cut at the end of the first MB is not an error.
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
	} catch {
		utf8 = false;
		text = iconv.decode(bytes, 'win1251');
	}
	let header: { cells: string[]; line: number } | null = null;
	const parser = new CsvParser((cells, line) => {
		header ??= { cells, line };
	});
	parser.push(text);
	if (!header && n < head.length) parser.end();
	if (!header) return null;
	const h = header as { cells: string[]; line: number };
	return { ...h, separator: parser.separatorChar, utf8 };
}

async function toUtf8(from: string, to: string): Promise<void> {
	await pipeline(createReadStream(from, { highWaterMark: 1 << 20 }), iconv.decodeStream('win1251'), iconv.encodeStream('utf8'), createWriteStream(to));
}

interface Reject {
	error_type: string;
	line_byte_position: number | bigint | null;
	byte_position: number | bigint | null;
	csv_line: string | null;
	error_message: string | null;
}

/** Fields of one CSV line, as csv.ts splits it (for the count shown in messages). */
function fieldCount(text: string, separator: string): number | null {
	let count: number | null = null;
	const p = new CsvParser((fields) => {
		count ??= fields.length;
	}, separator);
	p.push(text.replace(/^[\r\n]+/, ''));
	p.end();
	return count;
}

async function openCsv(conn: DuckDBConnection, file: SourceFile, spec: TableSpec, workdir: string, errors: ErrorCollector): Promise<Source | null> {
	const name = file.name;
	const notText = checkTextFile(file);
	if (notText) {
		errors.add(`${name}: ${notText.problem}`);
		return null;
	}
	const header = readHeader(file.path);
	if (!header) {
		errors.add(`${name}: has no header row (expected a first line with the columns ${spec.columns.filter((c) => !c.optional).map((c) => c.name).join(', ')})`);
		return null;
	}
	const index = checkHeader(header.cells, spec, name, errors);
	if (!index) return null;
	const width = header.cells.length;
	const table = spec.name;
	const columns = `{${header.cells.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
	const select = spec.columns.map((c, i) => (stored(c) && index[i] >= 0 ? `c${index[i]} AS ${ident(c.name)}` : null)).filter((x) => x !== null);
	const present = new Set(spec.columns.filter((c, i) => stored(c) && index[i] >= 0).map((c) => c.name));

	let path = file.path;
	let utf8 = header.utf8;
	let tolerant = false; // after rows were rejected: read past them
	const skipped = new Set<number>(); // lines where a rejected row starts
	const reader = (extra = '') =>
		`read_csv(${lit(path)}, header = true, skip = ${header.line - 1}, auto_detect = false, delim = ${lit(header.separator)}, quote = '"', escape = '"', columns = ${columns}, max_line_size = ${1 << 23}${tolerant ? ', ignore_errors = true' : ''}${extra})`;
	const csvRowsSql = () => `SELECT ${select.join(', ')} FROM ${reader()}`;
	// After the first scan the rows are read from its Parquet copy (see firstScan), not parsed again.
	const staged = join(workdir, `${table}.rows.parquet`);
	let copied = false;
	const rowsSql = () => (copied ? `SELECT * FROM read_parquet(${lit(staged)})` : csvRowsSql());
	// _line: DuckDB's record number, in file order (insertion order is preserved, in the copy too).
	const numberedSql = () => `SELECT row_number() OVER () AS _line, * FROM (${rowsSql()})`;
	const toUtf8Copy = async () => {
		const copy = join(workdir, `${table}.utf8.csv`);
		await toUtf8(file.path, copy);
		path = copy;
		utf8 = false;
	};
	if (!utf8) await toUtf8Copy();

	/** Scan once with rejects stored, and report each row DuckDB could not read. */
	const collectRejects = async (): Promise<void> => {
		const read = async () => {
			await conn.run(`DROP TABLE IF EXISTS rej_${table}; DROP TABLE IF EXISTS rejscan_${table}`);
			await conn.run(`SELECT count(*) FROM ${reader(`, store_rejects = true, ignore_errors = true, rejects_table = 'rej_${table}', rejects_scan = 'rejscan_${table}'`)}`);
			return queryRows<Reject>(conn, `SELECT error_type, line_byte_position, byte_position, csv_line, error_message FROM rej_${table} ORDER BY line_byte_position, byte_position`);
		};
		let rejects = await read();
		if (utf8 && rejects.some((r) => r.error_type === 'INVALID ENCODING')) {
			// Not UTF-8 after all (past the first MB): read it as Windows-1251.
			await toUtf8Copy();
			rejects = await read();
		}
		await conn.run(`DROP TABLE IF EXISTS rej_${table}; DROP TABLE IF EXISTS rejscan_${table}`);
		// One message per rejected row (DuckDB lists a row once per surplus value).
		const byRow = new Map<number, Reject[]>();
		for (const r of rejects) {
			const pos = Number(r.line_byte_position ?? r.byte_position ?? 0);
			byRow.set(pos, [...(byRow.get(pos) ?? []), r]);
		}
		const rejectLines = linesAtBytes(path, [...byRow.keys()]);
		for (const [pos, list] of byRow) {
			const line = rejectLines.get(pos)!;
			skipped.add(line);
			const first = list[0];
			const type = first.error_type;
			if (type === 'TOO MANY COLUMNS' || type === 'MISSING COLUMNS') {
				const found = Math.max(...list.map((r) => Number(/Found: (\d+)/.exec(r.error_message ?? '')?.[1] ?? 0)));
				const counted = first.csv_line ? fieldCount(first.csv_line, header.separator) : null;
				const values = type === 'TOO MANY COLUMNS' ? Math.max(found, counted ?? 0) : (counted ?? found);
				errors.add(`${at(name, line)}has ${values} values, expected ${width} as in the header (check the separator and quotes)`);
			} else if (type === 'UNQUOTED VALUE' || type === 'LINE SIZE OVER MAXIMUM') {
				const unclosed = type === 'LINE SIZE OVER MAXIMUM' || !first.csv_line || unclosedIn(first.csv_line, header.separator);
				errors.add(
					unclosed
						? `${at(name, line)}a quoted field starts here and is never closed (expected a closing " before the end of the file)`
						: `${at(name, line)}a quoted value is followed by more text before the next separator (expected the closing " to end the value; a quote inside a quoted value is written twice: "")`
				);
			} else if (type === 'INVALID ENCODING') {
				errors.add(`${at(name, line)}has bytes that are neither UTF-8 nor Windows-1251 text (expected a text CSV file)`);
			} else {
				errors.add(`${at(name, line)}cannot be read as a CSV row (${type.toLowerCase()}; check the separator and quotes)`);
			}
		}
		tolerant = true;
	};

	return {
		table,
		file,
		present,
		positioned: false,
		rowsSql,
		numberedSql,
		async firstScan<T>(sel: string): Promise<T> {
			for (let attempt = 0; ; attempt++) {
				try {
					// The one parse of the file: its stored columns, as text, copied in file order to a Parquet
					// file in the run's private folder (dictionary-encoded: 474 MB for 10 million
					// allegations, where the same text in a table in memory takes about 2.5 GB). The distinct values
					// and the typed rows are then read from the copy, column by column; it is only ever scanned
					// whole, so it has no bloom filters (DuckDB writes them by default: 1-1.5 s at that size).
					copied = false;
					await conn.run(`COPY (${csvRowsSql()}) TO ${lit(staged)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 122880, WRITE_BLOOM_FILTER false)`);
					copied = true;
					return (await queryRows<T>(conn, `SELECT ${sel} FROM (${rowsSql()})`))[0];
				} catch (err) {
					const msg = err instanceof Error ? err.message : String(err);
					if (attempt >= 2) throw err;
					if (utf8 && /invalid unicode|not utf-8 encoded/i.test(msg)) await toUtf8Copy();
					else if (!tolerant && /CSV Error|unterminated quote|Expected Number of Columns|maximum line size/i.test(msg)) await collectRejects();
					else throw err;
				}
			}
		},
		lines: (positions) => recordLines(path, positions, header.separator, skipped),
		async rawAt(column, positions) {
			if (positions.length === 0 || !present.has(column)) return new Map();
			const rows = await queryRows<{ pos: number | bigint; v: string | null }>(conn, `SELECT _line AS pos, ${ident(column)} AS v FROM (${numberedSql()}) WHERE _line IN (${positions.join(', ')})`);
			return new Map(rows.map((r) => [Number(r.pos), r.v ?? '']));
		}
	};
}

/** True when the text ends inside a quoted value. */
function unclosedIn(text: string, separator: string): boolean {
	const p = new CsvParser(() => {}, separator);
	p.push(text.replace(/^[\r\n]+/, ''));
	return p.end() !== 0;
}

async function openXlsx(conn: DuckDBConnection, file: SourceFile, spec: TableSpec, workdir: string, errors: ErrorCollector): Promise<Source | null> {
	const name = file.name;
	const table = spec.name;
	let index: number[] | null = null;
	let headerSeen = false;
	const rows: string[][] = [];
	const result = await readXlsx(
		file,
		(cells) => {
			headerSeen = true;
			index = checkHeader(cells, spec, name, errors);
		},
		(cells, line) => {
			if (!index) return;
			// Excel drops trailing empty cells: absent cells are empty values.
			rows.push([String(line), ...spec.columns.filter(stored).map((c) => {
				const pos = index![spec.columns.indexOf(c)];
				return pos >= 0 ? (cells[pos] ?? '') : '';
			})]);
		},
		errors
	);
	if ('problem' in result) {
		errors.add(`${name}: ${result.problem}`);
		return null;
	}
	if (!headerSeen) {
		errors.add(`${name}: has no header row (expected a first line with the columns ${spec.columns.filter((c) => !c.optional).map((c) => c.name).join(', ')})`);
		return null;
	}
	if (!index) return null;
	const idx = index as number[];
	const kept = spec.columns.filter(stored);
	const present = new Set(spec.columns.filter((c, i) => stored(c) && idx[i] >= 0).map((c) => c.name));
	// A UTF-8 CSV in the private work folder, every value quoted (so nothing is re-typed), with the
	// sheet's row numbers.
	const path = join(workdir, `${table}.xlsx.csv`);
	const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
	const out = createWriteStream(path);
	for (const r of rows) out.write(r.map(quote).join(',') + '\n');
	await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
	const columns = `{'_line': 'BIGINT', ${kept.map((c) => `${lit(c.name)}: 'VARCHAR'`).join(', ')}}`;
	const select = ['_line', ...kept.filter((c) => present.has(c.name)).map((c) => ident(c.name))];
	const rowsSql = () => `SELECT ${select.join(', ')} FROM read_csv(${lit(path)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${columns}, allow_quoted_nulls = false)`;
	return {
		table,
		file,
		present,
		positioned: true,
		rowsSql,
		numberedSql: rowsSql,
		async firstScan<T>(sel: string): Promise<T> {
			return (await queryRows<T>(conn, `SELECT ${sel} FROM (${rowsSql()})`))[0];
		},
		lines: (positions) => new Map(positions.map((p) => [p, p])),
		async rawAt(column, positions) {
			if (positions.length === 0 || !present.has(column)) return new Map();
			const rows = await queryRows<{ pos: number | bigint; v: string | null }>(conn, `SELECT _line AS pos, ${ident(column)} AS v FROM (${rowsSql()}) WHERE _line IN (${positions.join(', ')})`);
			return new Map(rows.map((r) => [Number(r.pos), r.v ?? '']));
		}
	};
}

/** Open a file as a Source; null (with the errors recorded) if it cannot be used at all. */
export async function openSource(conn: DuckDBConnection, file: SourceFile, spec: TableSpec, workdir: string, errors: ErrorCollector): Promise<Source | null> {
	if (fileSize(file.path) === 0) {
		errors.add(`${file.name}: is empty (0 bytes; expected a header row and data rows)`);
		return null;
	}
	return file.format === 'csv' ? openCsv(conn, file, spec, workdir, errors) : openXlsx(conn, file, spec, workdir, errors);
}
