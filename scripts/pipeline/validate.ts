/**
 * Validation and normalisation of one monitors' file, in DuckDB, in two scans of the file (load.ts):
 *
 *  1. the distinct values of each column. Codes, regions, dates, numbers and yes/no are read once per
 *     distinct value, in JavaScript, with the parser the column needs (normalise.ts), into a small
 *     lookup table (value or problem). A 10-million-row file has a few thousand distinct dates and a
 *     few dozen spellings of each code, so this costs almost nothing and keeps one definition of what
 *     is accepted. References are normalised like keys (below).
 *  2. the typed rows: the lookups joined to the rows, keys (case_code, visit_code, ...) trimmed and
 *     case-folded in SQL ("c01 " and "C01" are the same case, so a duplicate), the age band from the
 *     birth date. Codes, regions and references are ENUMs (one or two bytes a value instead of a
 *     string), so 10 million rows take about 0.6 GB, and so do the tables built from them later.
 *     An ENUM compares with text as text, and its members are in text order, so it also sorts as
 *     text; the released tables cast every column to its contract type. The members of a code
 *     column are the whole code list (a later step may set any code, e.g. a merged age band).
 *     The rows are in c_<table>; in_<table> is a view adding the row's position, _line.
 *
 * Checks between columns of a row (a birth date after the report, a share given as a percentage,
 * ...) are SQL over in_<table>. Each problem becomes a message naming file, row (the line as a text
 * editor or Excel shows it), column, value and what was expected; only the first 100 of each kind
 * are fetched as text, and only for those is the file read again for line numbers and typed text.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit, queryRows } from './db.ts';
import { at, shown, SHOWN_ERRORS, type ErrorCollector } from './errors.ts';
import { parseBool, parseCode, parseDate, parseDecimal, parseInteger, parseRegion, type Parsed } from './normalise.ts';
import { openSource, type Source } from './load.ts';
import type { SourceFile } from './read.ts';
import { FINDING_VALUE_RANGE, type ColumnSpec, type TableSpec } from './schema.ts';
import { codeValues, loadCodes, loadRegions } from '../lib/reference.ts';

/** DuckDB type of each column of in_<table>. */
export type SqlType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE';

export interface Intermediate {
	table: string;
	file: SourceFile;
	columns: { name: string; type: SqlType }[];
	rows: number;
	/** The file, for line numbers and typed text in messages (see load.ts). */
	source: Source;
}

/** Name and type of the in_<table> column a spec column turns into (null: dropped). */
function outputColumn(col: ColumnSpec): { name: string; type: SqlType } | null {
	switch (col.value.kind) {
		case 'drop':
			return null;
		case 'region':
			return { name: 'region_code', type: 'VARCHAR' };
		case 'birth_date':
			return { name: 'victim_age_band', type: 'VARCHAR' };
		case 'date':
			return { name: col.name, type: 'DATE' };
		case 'int':
			return { name: col.name, type: col.name === 'residents' ? 'BIGINT' : 'INTEGER' };
		case 'decimal':
			return { name: col.name, type: 'DOUBLE' };
		case 'bool':
			return { name: col.name, type: 'BOOLEAN' };
		default:
			return { name: col.name, type: 'VARCHAR' };
	}
}

/** Whitespace trimmed from keys, as JavaScript's trim() does. */
const WHITESPACE = [9, 10, 11, 12, 13, 32, 0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];
const WS_CLASS = `[${WHITESPACE.map((c) => `\\x{${c.toString(16)}}`).join('')}]`;
const WS_LITERAL = lit(String.fromCharCode(...WHITESPACE));

/**
 * A key as compared everywhere: surrounding spaces removed, upper case ("c01 " = "C01"). trim() with
 * a set of characters is slow, so it runs only on the few values that start or end with a space.
 */
export const keySql = (expr: string) =>
	`nullif(CASE WHEN regexp_matches(${expr}, '^${WS_CLASS}|${WS_CLASS}$') THEN upper(trim(${expr}, ${WS_LITERAL})) ELSE upper(${expr}) END, '')`;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** One problem found by SQL: the row's position, the column, and the text after "file row N, column C: ". */
interface Problem {
	pos: number;
	order: number;
	column?: string;
	text: string;
}

/** How a non-empty value of a column is parsed, or null for keys (normalised in SQL). */
function parserFor(col: ColumnSpec, today: string): ((text: string) => Parsed<string | number | boolean>) | null {
	const v = col.value;
	switch (v.kind) {
		case 'region':
			return parseRegion;
		case 'code':
			return (t) => parseCode(v.list, t);
		case 'date':
			return (t) => parseDate(t, today);
		case 'birth_date':
			return (t) => parseDate(t, today, '1900-01-01');
		case 'int':
			return (t) => parseInteger(t, v.min, v.max, v.what);
		case 'decimal':
			return parseDecimal;
		case 'bool':
			return parseBool;
		default:
			return null;
	}
}

/** Value (as SQL text) or message of one distinct raw value: the same rules as for a single cell. */
function evaluate(col: ColumnSpec, raw: string, parse: (text: string) => Parsed<string | number | boolean>): { value: string | null } | { problem: string } {
	const v = col.value;
	const text = raw.trim();
	if (text === '') {
		if (v.kind === 'code' && v.emptyAs !== undefined) return { value: v.emptyAs === '' ? null : v.emptyAs };
		if (v.kind === 'birth_date' || ((v.kind === 'int' || v.kind === 'decimal' || v.kind === 'date') && v.allowEmpty)) return { value: null };
		return { problem: 'is empty (expected a value)' };
	}
	const parsed = parse(text);
	if (!parsed.ok) return { problem: `${shown(raw)} ${parsed.problem}` };
	return { value: String(parsed.value) };
}

/**
 * Build lk_<table>_<i>(raw, value, problem) from the column's distinct values; returns whether any is
 * bad. Text values (codes, regions, references) get an ENUM type of their own.
 */
async function buildLookup(conn: DuckDBConnection, table: string, i: number, col: ColumnSpec, type: SqlType, today: string, values: string[]): Promise<boolean> {
	const lk = `lk_${table}_${i}`;
	await conn.run(`CREATE OR REPLACE TABLE ${lk}_text (raw VARCHAR, value VARCHAR, problem VARCHAR)`);
	let bad = false;
	if (col.value.kind === 'ref') {
		// References are normalised exactly as keys, by the same SQL.
		const appender = await conn.createAppender(`${lk}_text`);
		for (const raw of values) {
			appender.appendVarchar(raw);
			appender.appendNull();
			appender.appendNull();
			appender.endRow();
		}
		appender.closeSync();
		await conn.run(`UPDATE ${lk}_text SET value = ${keySql('raw')}`);
		await conn.run(`UPDATE ${lk}_text SET problem = 'is empty (expected a value)' WHERE value IS NULL`);
		bad = Number((await queryRows<{ n: number | bigint }>(conn, `SELECT count(*) AS n FROM ${lk}_text WHERE problem IS NOT NULL`))[0].n) > 0;
	} else {
		const parse = parserFor(col, today)!;
		const appender = await conn.createAppender(`${lk}_text`);
		for (const raw of values) {
			const r = evaluate(col, raw, parse);
			appender.appendVarchar(raw);
			if ('problem' in r) {
				bad = true;
				appender.appendNull();
				appender.appendVarchar(r.problem);
			} else {
				if (r.value === null) appender.appendNull();
				else appender.appendVarchar(r.value);
				appender.appendNull();
			}
			appender.endRow();
		}
		appender.closeSync();
	}
	let sqlType: string = type;
	if (type === 'VARCHAR') {
		// Members: every code of the list (so later steps may set any code, e.g. a merged age band),
		// else the values found; in text order, so that sorting by the ENUM sorts as text.
		const v = col.value;
		const known = v.kind === 'code' ? codeValues(v.list) : v.kind === 'region' ? loadRegions().map((r) => r.region_code) : [];
		const found = (await queryRows<{ v: string }>(conn, `SELECT DISTINCT value AS v FROM ${lk}_text WHERE value IS NOT NULL`)).map((r) => r.v);
		const members = [...new Set([...known, ...found])].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
		if (members.length > 0) {
			await conn.run(`DROP TYPE IF EXISTS ${lk}_t; CREATE TYPE ${lk}_t AS ENUM (${members.map(lit).join(', ')})`);
			sqlType = `${lk}_t`;
		}
	}
	// Dates also as the integer yyyymmdd, so that the age band is integer arithmetic per row (ageBandSql).
	const ymd = type === 'DATE' ? `, (year(value::DATE) * 10000 + month(value::DATE) * 100 + day(value::DATE))::INTEGER AS ymd` : '';
	await conn.run(`CREATE OR REPLACE TABLE ${lk} AS SELECT raw, value::${sqlType} AS value, problem${ymd} FROM ${lk}_text; DROP TABLE ${lk}_text`);
	return bad;
}

/** Run a query of problem rows (with a column `pos`): the first 100 by position, and how many in all. */
async function sample<T = object>(conn: DuckDBConnection, sql: string): Promise<{ rows: (T & { pos: number })[]; total: number }> {
	const rows = await queryRows<T & { pos: number | bigint; _total: number | bigint }>(conn, `SELECT *, count(*) OVER () AS _total FROM (${sql}) ORDER BY pos LIMIT ${SHOWN_ERRORS}`);
	return { rows: rows.map((r) => ({ ...r, pos: Number(r.pos) })), total: rows.length > 0 ? Number(rows[0]._total) : 0 };
}

/**
 * Age band of docs/data-pipeline.md from two dates given as integers yyyymmdd (whole years, birthdays
 * exact). The age in whole years is year(at) - year(birth) - (1 if the birthday is not yet reached),
 * which is floor((at - birth) / 10000) on yyyymmdd, so "age < 18" is "at - birth < 180000": no date
 * is taken apart per row.
 */
function ageBandSql(birthYmd: string, atYmd: string): string {
	const diff = `(${atYmd} - ${birthYmd})`;
	return `CASE WHEN ${birthYmd} IS NULL OR ${atYmd} IS NULL THEN 'unknown' WHEN ${diff} < 180000 THEN 'under_18' WHEN ${diff} < 250000 THEN '18_24' WHEN ${diff} < 350000 THEN '25_34' WHEN ${diff} < 500000 THEN '35_49' ELSE '50_plus' END`;
}

/** A number as people write it: 0.95, not 0.9500000000000001. */
const plain = (n: number) => String(Number(n.toPrecision(12)));

/** Age bands, as an ENUM of every band of data/codes.json (anonymise.ts merges bands later). */
const AGE_BANDS = () => codeValues('victim_age_band').sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** `stage` is told when reading ends and checking begins (for npm run bench:pipeline). */
export async function validateTable(conn: DuckDBConnection, file: SourceFile, spec: TableSpec, workdir: string, errors: ErrorCollector, today: string, stage: (name: string) => void = () => {}): Promise<Intermediate | null> {
	const source = await openSource(conn, file, spec, workdir, errors);
	if (!source) return null;
	const t = spec.name;
	const problems: Problem[] = [];
	let total = 0;
	const add = (found: { rows: { pos: number }[]; total: number }, column: string | undefined, order: number, text: (row: never) => string) => {
		total += found.total;
		for (const r of found.rows) problems.push({ pos: r.pos, order, column, text: text(r as never) });
	};
	const order = (name: string) => spec.columns.findIndex((c) => c.name === name);

	// Scan 1: the number of rows and the distinct values of every column read through a lookup.
	const lookedUp = spec.columns.map((col, i) => ({ col, i })).filter(({ col }) => outputColumn(col) && col.value.kind !== 'key' && source.present.has(col.name));
	const errorsBefore = errors.count;
	const first = await source.firstScan<Record<string, unknown>>(
		['count(*) AS n', ...lookedUp.map(({ col, i }) => `list(DISTINCT coalesce(${ident(col.name)}, '')) AS d${i}`)].join(', ')
	);
	const rows = Number(first.n);
	if (rows === 0) {
		// (unless every row was refused, which is reported already)
		if (errors.count === errorsBefore) errors.add(`${file.name}: has a header but no data rows (expected at least one row)`);
		return null;
	}
	stage(`check ${file.name}`);

	const selects: string[] = source.positioned ? ['r._line'] : [];
	const view: string[] = [source.positioned ? 'c._line' : 'c.rowid + 1 AS _line'];
	const joins: string[] = [];
	const columns: { name: string; type: SqlType }[] = [];
	const keys: [number, string][] = [];
	let birthSql: string | null = null;
	let birthYmd: string | null = null;
	for (const [i, col] of spec.columns.entries()) {
		const out = outputColumn(col);
		if (!out) continue;
		const present = source.present.has(col.name);
		const kind = col.value.kind;
		let expr: string;
		if (kind === 'key') {
			expr = keySql(`r.${ident(col.name)}`);
			keys.push([i, col.name]);
		} else if (!present) {
			expr = col.value.kind === 'code' && col.value.emptyAs ? lit(col.value.emptyAs) : `NULL::${kind === 'birth_date' ? 'DATE' : out.type}`;
		} else {
			const type: SqlType = kind === 'birth_date' ? 'DATE' : out.type;
			const bad = await buildLookup(conn, t, i, col, type, today, first[`d${i}`] as string[]);
			joins.push(`LEFT JOIN lk_${t}_${i} l${i} ON coalesce(r.${ident(col.name)}, '') = l${i}.raw`);
			expr = `l${i}.value`;
			if (bad) {
				// Values the lookup refused: their rows are found by reading the file again (this run fails anyway).
				add(
					await sample<{ problem: string }>(conn, `SELECT r._line AS pos, l.problem FROM (${source.numberedSql()}) r JOIN (SELECT raw, problem FROM lk_${t}_${i} WHERE problem IS NOT NULL) l ON coalesce(r.${ident(col.name)}, '') = l.raw`),
					col.name,
					i,
					(row: { problem: string }) => row.problem
				);
			}
		}
		if (kind === 'birth_date') {
			birthSql = expr;
			birthYmd = present ? `l${i}.ymd` : null;
			continue; // the age band is added below, from the birth date and the report date
		}
		selects.push(`${expr} AS ${ident(out.name)}`);
		view.push(`c.${ident(out.name)}`);
		columns.push(out);
	}
	if (spec.columns.some((c) => c.value.kind === 'birth_date')) {
		const report = `l${order('report_date')}.value`;
		const birth = birthSql ?? 'NULL::DATE';
		const reportYmd = `l${order('report_date')}.ymd`;
		await conn.run(`DROP TYPE IF EXISTS age_band_t; CREATE TYPE age_band_t AS ENUM (${AGE_BANDS().map(lit).join(', ')})`);
		// The birth date itself is not stored: only the band, and whether it is after the report.
		selects.push(`(${ageBandSql(birthYmd ?? 'NULL::INTEGER', reportYmd)})::age_band_t AS victim_age_band`, `coalesce(${birth} > ${report}, false) AS _birth_after`);
		view.push('c.victim_age_band');
		columns.push({ name: 'victim_age_band', type: 'VARCHAR' });
	}
	// Scan 2: the typed rows. Rows keep the file's order, so for a CSV the position is rowid + 1.
	// The lookups must be the hash tables and the file the side streamed through them, in order: the
	// optimizer, misjudging the size of a CSV file, would otherwise sometimes build on the file.
	await conn.run(`SET disabled_optimizers = 'join_order,build_side_probe_side'`);
	try {
		await conn.run(`CREATE OR REPLACE TABLE c_${t} AS SELECT ${selects.join(', ')} FROM (${source.rowsSql()}) r ${joins.join(' ')}`);
	} finally {
		await conn.run(`RESET disabled_optimizers`);
	}
	await conn.run(`CREATE OR REPLACE VIEW in_${t} AS SELECT ${view.join(', ')} FROM c_${t} c`);
	for (const i of spec.columns.keys()) await conn.run(`DROP TABLE IF EXISTS lk_${t}_${i}`);
	// Keys and references are required: an empty one is NULL.
	for (const [i, name] of keys) add(await sample(conn, `SELECT _line AS pos FROM in_${t} WHERE ${ident(name)} IS NULL`), name, i, () => 'is empty (expected a value)');

	// Checks between columns of the same row; messages show the value as the user typed it, looked
	// up by position for the (at most 100) rows shown.
	const withRaw = async <T,>(sql: string, column: string): Promise<{ rows: (T & { pos: number; raw: string })[]; total: number }> => {
		const found = await sample<T>(conn, sql);
		if (found.rows.length === 0) return { rows: [], total: found.total };
		const byPos = await source.rawAt(column, found.rows.map((r) => r.pos));
		return { rows: found.rows.map((r) => ({ ...r, raw: byPos.get(r.pos) ?? '' })), total: found.total };
	};
	if (t === 'allegations') {
		add(await withRaw(`SELECT ${source.positioned ? '_line' : 'rowid + 1'} AS pos FROM c_${t} WHERE _birth_after`, 'victim_birth_date'), 'victim_birth_date', order('victim_birth_date'), (r: { raw: string }) => `${shown(r.raw ?? '')} is after report_date (expected a birth date before the report)`);
		if (source.present.has('outcome_date')) {
			add(
				await withRaw<{ report: string }>(`SELECT _line AS pos, strftime(report_date, '%Y-%m-%d') AS report FROM in_${t} WHERE outcome_date < report_date`, 'outcome_date'),
				'outcome_date',
				order('outcome_date'),
				(r: { raw: string; report: string }) => `${shown(r.raw ?? '')} is before report_date (expected ${r.report} or later)`
			);
		}
	}
	if (t === 'facilities' && source.present.has('opened_year') && source.present.has('closed_year')) {
		add(
			await sample<{ closed: number; opened: number }>(conn, `SELECT _line AS pos, closed_year AS closed, opened_year AS opened FROM in_${t} WHERE closed_year < opened_year`),
			'closed_year',
			order('closed_year'),
			(r: { closed: number; opened: number }) => `${shown(String(r.closed))} is before opened_year ${r.opened} (expected a year the facility was open)`
		);
	}
	if (t === 'population') {
		add(
			await withRaw<{ residents: number | bigint }>(`SELECT _line AS pos, residents FROM in_${t} WHERE detainees > residents`, 'detainees'),
			'detainees',
			order('detainees'),
			(r: { raw: string; residents: number | bigint }) => `${shown(r.raw ?? '')} is more than the region's residents, ${r.residents} (expected the people held in the region, fewer than its residents)`
		);
	}
	if (t === 'findings' && source.present.has('value')) {
		// Plausible range by indicator: a share above its range that fits once divided by 100 was
		// most likely typed as a percentage.
		const indicators = loadCodes().indicator;
		const ranges = Object.entries(indicators)
			.map(([code, entry]) => {
				const range = FINDING_VALUE_RANGE[code] ?? FINDING_VALUE_RANGE[entry.unit ?? ''];
				return range ? `(${lit(code)}, ${range.max}, ${lit(range.what)}, ${entry.unit === 'share' ? 'true' : 'false'})` : null;
			})
			.filter((x) => x !== null);
		if (ranges.length > 0) {
			add(
				await withRaw<{ value: number; indicator: string; max: number; what: string; share: boolean }>(
					`SELECT x._line AS pos, x.value, x.indicator, g.max, g.what, g.share FROM in_${t} x JOIN (VALUES ${ranges.join(', ')}) g(indicator, max, what, share) USING (indicator) WHERE x.value > g.max`,
					'value'
				),
				'value',
				order('value'),
				(r: { raw: string; value: number; indicator: string; max: number; what: string; share: boolean }) =>
					r.share && r.value / 100 <= r.max
						? `${shown(r.raw ?? '')} looks like a percentage: ${plain(r.value)} -> ${plain(r.value / 100)}? (expected ${r.what} for ${r.indicator})`
						: `${shown(r.raw ?? '')} is too large for ${r.indicator} (expected ${r.what})`
			);
		}
	}

	if (problems.length > 0) {
		const lines = source.lines(problems.map((p) => p.pos));
		problems.sort((a, b) => a.pos - b.pos || a.order - b.order);
		errors.addCounted(
			problems.map((p) => `${at(file.name, lines.get(p.pos) ?? p.pos, p.column)}${p.text}`),
			total
		);
	}
	return { table: t, file, columns, rows, source };
}
