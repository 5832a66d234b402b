/**
 * The checks that need more than one row, on the validated tables in DuckDB (in_<table>, see
 * validate.ts): duplicate keys and references between files. Keys are compared as normalised
 * (surrounding spaces removed, upper case), so "c01 " duplicates "C01"; messages show the values as
 * the user typed them. SQL keeps these fast on millions of rows; only a sample of each kind of
 * problem is fetched as text.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, queryValue } from './db.ts';
import { at, shown, SHOWN_ERRORS, type ErrorCollector } from './errors.ts';
import type { Intermediate } from './validate.ts';
import { INPUT_TABLES } from './schema.ts';

/** Input column name as the user knows it (region_code was "region" in the file). */
const userColumn = (c: string) => (c === 'region_code' ? 'region' : c);

/** Raw text of a column at some rows (by position), as the user typed it. */
async function rawValues(im: Intermediate, column: string, positions: number[]): Promise<Map<number, string>> {
	return im.source.rawAt(column, positions);
}

async function checkDuplicates(conn: DuckDBConnection, im: Intermediate, keyCols: string[], errors: ErrorCollector): Promise<void> {
	const cols = keyCols.map((c) => (c === 'region' ? 'region_code' : c));
	const keyList = cols.join(', ');
	const notNull = cols.map((c) => `${c} IS NOT NULL`).join(' AND ');
	// One hash aggregate finds out whether there is any duplicate at all (the usual case: none). It
	// groups by a 64-bit hash of the key, not the key itself: no text is copied or compared (at 10
	// million case codes, about half the CPU time). Equal keys have equal hashes, so no repeated
	// hash means no duplicate; a repeated hash (a duplicate, or rarely a collision) is then checked
	// on the keys themselves.
	const repeated = Number(await queryValue(conn, `SELECT count(*) FROM (SELECT hash(${keyList}) AS h FROM in_${im.table} WHERE ${notNull} GROUP BY h HAVING count(*) > 1)`));
	if (repeated === 0) return;
	const duplicated = Number(await queryValue(conn, `SELECT count(*) FROM (SELECT ${keyList} FROM in_${im.table} WHERE ${notNull} GROUP BY ${keyList} HAVING count(*) > 1)`));
	if (duplicated === 0) return;
	const base = `SELECT _line, ${keyList}, min(_line) OVER (PARTITION BY ${keyList}) AS first_line FROM in_${im.table} WHERE ${notNull}`;
	const total = Number(await queryValue(conn, `SELECT count(*) FROM (${base}) WHERE _line <> first_line`));
	if (total === 0) return;
	const rows = await queryRows<Record<string, unknown>>(conn, `SELECT * FROM (${base}) WHERE _line <> first_line ORDER BY _line LIMIT ${SHOWN_ERRORS}`);
	const positions = rows.flatMap((r) => [Number(r._line), Number(r.first_line)]);
	const lines = im.source.lines(positions);
	// A single key is shown as typed; when the first row typed it differently, that is said too.
	const typed = keyCols.length === 1 ? await rawValues(im, keyCols[0], positions) : new Map<number, string>();
	errors.addCounted(
		rows.map((r) => {
			const pos = Number(r._line);
			const first = Number(r.first_line);
			const value = typed.get(pos) ?? cols.map((c) => String(r[c])).join(' / ');
			const firstTyped = typed.get(first);
			const other = firstTyped !== undefined && firstTyped !== value ? ` (written there as ${shown(firstTyped)}; codes are compared ignoring case and spaces around them)` : '';
			return `${at(im.file.name, lines.get(pos) ?? pos, keyCols.map(userColumn).join(' + '))}${shown(value)} duplicates row ${lines.get(first) ?? first}${other} (expected each ${keyCols.join(' + ')} once)`;
		}),
		total
	);
}

async function checkReference(conn: DuckDBConnection, im: Intermediate, column: string, target: Intermediate, targetColumn: string, errors: ErrorCollector): Promise<void> {
	const missing = `SELECT s._line, s.${column} AS v FROM in_${im.table} s ANTI JOIN in_${target.table} t ON s.${column} = t.${targetColumn} WHERE s.${column} IS NOT NULL`;
	const total = Number(await queryValue(conn, `SELECT count(*) FROM (${missing})`));
	if (total === 0) return;
	const rows = await queryRows<{ _line: number | bigint; v: string }>(conn, `${missing} ORDER BY s._line LIMIT ${SHOWN_ERRORS}`);
	const positions = rows.map((r) => Number(r._line));
	const lines = im.source.lines(positions);
	const typed = await rawValues(im, column, positions);
	errors.addCounted(
		rows.map((r) => {
			const pos = Number(r._line);
			return `${at(im.file.name, lines.get(pos) ?? pos, column)}${shown(typed.get(pos) ?? String(r.v))} is not in ${target.file.name} (expected a ${targetColumn} listed there)`;
		}),
		total
	);
}

export async function crossCheck(conn: DuckDBConnection, tables: Map<string, Intermediate>, errors: ErrorCollector): Promise<void> {
	for (const spec of INPUT_TABLES) {
		const im = tables.get(spec.name);
		if (!im) continue;
		if (spec.unique) await checkDuplicates(conn, im, spec.unique, errors);
		for (const col of spec.columns) {
			if (col.value.kind !== 'ref') continue;
			const target = tables.get(col.value.table);
			// If the referenced file itself failed, its errors are already reported; do not pile on.
			if (target) await checkReference(conn, im, col.name, target, col.value.column, errors);
		}
	}
}
