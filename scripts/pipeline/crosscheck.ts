/**
 * Loads the validated intermediate files into DuckDB (typed, with the source line) and runs the
 * checks that need more than one row: duplicate keys and references between files. SQL keeps these
 * fast on millions of rows; only a sample of each kind of problem is fetched as text.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit, queryRows, queryValue } from './db.ts';
import { at, shown, SHOWN_ERRORS, type ErrorCollector } from './errors.ts';
import type { Intermediate } from './validate.ts';
import { INPUT_TABLES } from './schema.ts';

export async function loadIntermediate(conn: DuckDBConnection, im: Intermediate): Promise<void> {
	const cols = [`'_line': 'INTEGER'`, ...im.columns.map((c) => `${lit(c.name)}: '${c.type}'`)].join(', ');
	await conn.run(
		`CREATE OR REPLACE TABLE in_${im.table} AS SELECT * FROM read_csv(${lit(im.path)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, nullstr = '', columns = {${cols}})`
	);
}

/** Input column name as the user knows it (region_code was "region" in the file). */
const userColumn = (c: string) => (c === 'region_code' ? 'region' : c);

async function checkDuplicates(conn: DuckDBConnection, im: Intermediate, keyCols: string[], errors: ErrorCollector): Promise<void> {
	const cols = keyCols.map((c) => (c === 'region' ? 'region_code' : c));
	const keyList = cols.join(', ');
	const base = `SELECT _line, ${keyList}, min(_line) OVER (PARTITION BY ${keyList}) AS first_line FROM in_${im.table} WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')}`;
	const total = Number(await queryValue(conn, `SELECT count(*) FROM (${base}) WHERE _line <> first_line`));
	if (total === 0) return;
	const rows = await queryRows<Record<string, unknown>>(conn, `SELECT * FROM (${base}) WHERE _line <> first_line ORDER BY _line LIMIT ${SHOWN_ERRORS}`);
	errors.addCounted(
		rows.map((r) => {
			const value = cols.map((c) => String(r[c])).join(' / ');
			return `${at(im.file.name, Number(r._line), keyCols.map(userColumn).join(' + '))}${shown(value)} duplicates row ${r.first_line} (expected each ${keyCols.join(' + ')} once)`;
		}),
		total
	);
}

async function checkReference(conn: DuckDBConnection, im: Intermediate, column: string, target: Intermediate, targetColumn: string, errors: ErrorCollector): Promise<void> {
	const missing = `SELECT s._line, s.${column} AS v FROM in_${im.table} s ANTI JOIN in_${target.table} t ON s.${column} = t.${targetColumn} WHERE s.${column} IS NOT NULL`;
	const total = Number(await queryValue(conn, `SELECT count(*) FROM (${missing})`));
	if (total === 0) return;
	const rows = await queryRows<{ _line: number; v: string }>(conn, `${missing} ORDER BY s._line LIMIT ${SHOWN_ERRORS}`);
	errors.addCounted(
		rows.map((r) => `${at(im.file.name, Number(r._line), column)}${shown(String(r.v))} is not in ${target.file.name} (expected a ${targetColumn} listed there)`),
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
