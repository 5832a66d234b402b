/**
 * Row-by-row validation and normalisation of one monitors' file. Each value is read with the parser
 * its column needs (normalise.ts); problems become messages naming file, row, column, value and what
 * was expected. Valid rows are written, already normalised and without the dropped columns (names,
 * free text, birth dates), to an intermediate UTF-8 CSV with the source line number, which DuckDB then
 * loads for the checks across rows and files (duplicates, references; see crosscheck.ts).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { at, shown, type ErrorCollector } from './errors.ts';
import { ageAt, ageBand, parseBool, parseCode, parseDate, parseDecimal, parseInteger, parseRegion, type Parsed } from './normalise.ts';
import { checkTextFile, fileSize, readCsv, readXlsx, type Encoding, type SourceFile } from './read.ts';
import type { ColumnSpec, TableSpec } from './schema.ts';

/** DuckDB type of each column of the intermediate file. */
export type SqlType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE';

export interface Intermediate {
	table: string;
	file: SourceFile;
	path: string;
	columns: { name: string; type: SqlType }[];
	rows: number;
}

/** Name and type of the intermediate column a spec column turns into (null: dropped). */
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

/** Buffered writer for the intermediate CSV, with back-pressure. */
class IntermediateWriter {
	private readonly stream: WriteStream;
	private parts: string[] = [];
	private size = 0;
	constructor(path: string, header: string[]) {
		this.stream = createWriteStream(path);
		this.parts.push(header.join(',') + '\n');
	}
	write(line: string): void {
		this.parts.push(line);
		this.size += line.length;
	}
	async drain(): Promise<void> {
		if (this.size < 1 << 20) return;
		const ok = this.stream.write(this.parts.join(''));
		this.parts = [];
		this.size = 0;
		if (!ok) await new Promise<void>((r) => this.stream.once('drain', () => r()));
	}
	async close(): Promise<void> {
		this.stream.write(this.parts.join(''));
		this.parts = [];
		await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
	}
}

function csvText(value: string): string {
	return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Header names compare without case, spaces or BOM: "Visit Code" = "visit_code". */
function headerKey(name: string): string {
	return name.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export async function validateTable(file: SourceFile, spec: TableSpec, workdir: string, errors: ErrorCollector, today: string): Promise<Intermediate | null> {
	const name = file.name;
	const outCols = spec.columns.map(outputColumn);
	const columns = outCols.filter((c): c is { name: string; type: SqlType } => c !== null);
	const path = join(workdir, `${spec.name}.csv`);
	let writer: IntermediateWriter | null = null;
	let index: number[] = []; // spec column -> position in the file (-1: absent, optional)
	let headerLength = 0;
	let headerOk = false;
	let rows = 0;
	const errorsBefore = errors.count;

	const onHeader = (cells: string[]) => {
		const keys = cells.map(headerKey);
		headerLength = cells.length;
		const seen = new Map<string, number>();
		keys.forEach((k, i) => {
			if (k !== '' && seen.has(k)) errors.add(`${name}: column ${k} appears twice in the header (columns ${seen.get(k)! + 1} and ${i + 1}; expected each column once)`);
			seen.set(k, i);
		});
		index = spec.columns.map((c) => seen.get(c.name) ?? -1);
		const missing = spec.columns.filter((c, i) => index[i] < 0 && !c.optional).map((c) => c.name);
		if (missing.length > 0) {
			errors.add(`${name}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected columns: ${spec.columns.map((c) => c.name + (c.optional ? ' (optional)' : '')).join(', ')}; found: ${cells.join(', ')})`);
			return;
		}
		const known = new Set(spec.columns.map((c) => c.name));
		const extra = keys.filter((k) => k !== '' && !known.has(k));
		if (extra.length > 0) errors.warn(`${name}: column${extra.length > 1 ? 's' : ''} ${extra.join(', ')} not used; ignored`);
		headerOk = true;
		writer = new IntermediateWriter(path, ['_line', ...columns.map((c) => c.name)]);
	};

	/** Per column, decided once: how to parse it, with a memo of results (values repeat a lot). */
	interface ColumnPlan {
		spec: ColumnSpec;
		position: number; // index in the file's row, -1 if the column is absent
		parse: ((text: string) => Parsed<string | number | boolean>) | null; // null: kept as typed (keys)
		memo: Map<string, { ok: true; value: string | number | boolean; out: string } | { ok: false; problem: string }>;
	}
	let plans: ColumnPlan[] = [];
	const makePlans = () => {
		plans = spec.columns.map((col, c) => {
			const v = col.value;
			let parse: ColumnPlan['parse'] = null;
			if (v.kind === 'region') parse = parseRegion;
			else if (v.kind === 'code') parse = (t) => parseCode(v.list, t);
			else if (v.kind === 'date') parse = (t) => parseDate(t, today);
			else if (v.kind === 'birth_date') parse = (t) => parseDate(t, today, '1900-01-01');
			else if (v.kind === 'int') parse = (t) => parseInteger(t, v.min, v.max);
			else if (v.kind === 'decimal') parse = parseDecimal;
			else if (v.kind === 'bool') parse = parseBool;
			return { spec: col, position: index[c], parse, memo: new Map() };
		});
	};
	const isAllegations = spec.name === 'allegations';
	const isFacilities = spec.name === 'facilities';

	const onRow = (cells: string[], line: number) => {
		if (!headerOk) return;
		if (plans.length === 0) makePlans();
		rows++;
		if (file.format === 'csv' && cells.length !== headerLength) {
			// Spreadsheets often add empty cells at the end of a row: harmless.
			const extraEmpty = cells.length > headerLength && cells.slice(headerLength).every((c) => c.trim() === '');
			if (!extraEmpty) {
				errors.add(`${at(name, line)}has ${cells.length} values, expected ${headerLength} as in the header (check the separator and quotes)`);
				return;
			}
		}
		let out = String(line);
		let reportDate: string | null = null;
		let outcomeDate: string | null = null;
		let outcomeRaw = '';
		let birthDate: string | null = null;
		let birthRaw = '';
		let birthPos = -1; // where the age band goes in `out`
		let opened = '';
		let closed = '';
		for (let c = 0; c < plans.length; c++) {
			const plan = plans[c];
			const col = plan.spec;
			const v = col.value;
			if (v.kind === 'drop') continue;
			if (v.kind === 'birth_date') birthPos = out.length;
			const raw = plan.position >= 0 ? (cells[plan.position] ?? '') : '';
			const text = raw.trim();
			if (text === '') {
				if (v.kind === 'code' && v.emptyAs !== undefined) out += ',' + v.emptyAs;
				else if (v.kind === 'birth_date' || ((v.kind === 'int' || v.kind === 'decimal' || v.kind === 'date') && v.allowEmpty) || (plan.position < 0 && col.optional)) out += ',';
				else {
					errors.add(`${at(name, line, col.name)}is empty (expected a value)`);
					out += ',';
				}
				continue;
			}
			if (plan.parse === null) {
				out += ',' + csvText(text);
				continue;
			}
			let result = plan.memo.get(text);
			if (!result) {
				const parsed = plan.parse(text);
				result = parsed.ok ? { ok: true, value: parsed.value, out: typeof parsed.value === 'string' ? csvText(parsed.value) : String(parsed.value) } : parsed;
				if (plan.memo.size < 50_000) plan.memo.set(text, result);
			}
			if (!result.ok) {
				errors.add(`${at(name, line, col.name)}${shown(raw)} ${result.problem}`);
				out += ',';
				continue;
			}
			if (v.kind === 'birth_date') {
				// Replaced by the age band below; the date itself is never written.
				birthDate = result.value as string;
				birthRaw = raw;
				out += ',';
				continue;
			}
			if (col.name === 'report_date') reportDate = result.value as string;
			else if (col.name === 'outcome_date') {
				outcomeDate = result.value as string;
				outcomeRaw = raw;
			}
			else if (col.name === 'opened_year') opened = result.out;
			else if (col.name === 'closed_year') closed = result.out;
			out += ',' + result.out;
		}
		// Checks between columns of the same row.
		if (isAllegations) {
			if (birthDate && reportDate && birthDate > reportDate) errors.add(`${at(name, line, 'victim_birth_date')}${shown(birthRaw)} is after report_date (expected a birth date before the report)`);
			if (outcomeDate && reportDate && outcomeDate < reportDate) errors.add(`${at(name, line, 'outcome_date')}${shown(outcomeRaw)} is before report_date (expected ${reportDate} or later)`);
			const band = birthDate && reportDate ? ageBand(ageAt(birthDate, reportDate)) : 'unknown';
			if (birthPos >= 0) out = out.slice(0, birthPos + 1) + band + out.slice(birthPos + 1);
		}
		if (isFacilities && opened && closed && Number(closed) < Number(opened)) errors.add(`${at(name, line, 'closed_year')}${shown(closed)} is before opened_year ${opened} (expected a year the facility was open)`);
		// Rows with errors are still written (bad values empty) so that references to their keys do not
		// raise follow-on errors; a run with any error never reaches the release step.
		writer!.write(out + '\n');
	};

	if (fileSize(file.path) === 0) {
		errors.add(`${name}: is empty (0 bytes; expected a header row and data rows)`);
		return null;
	}
	if (file.format === 'csv') {
		const notText = checkTextFile(file);
		if (notText) {
			errors.add(`${name}: ${notText.problem}`);
			return null;
		}
		// Read as UTF-8; at the first invalid byte sequence start again as Windows-1251 (which shows
		// at the first Cyrillic letter, so a cp1251 file is in practice read once).
		const mark = errors.mark();
		let result = await readCsv(file, 'utf8', onHeader, onRow, async () => {
			if (writer) await writer.drain();
		});
		if ('notUtf8' in result) {
			errors.rollback(mark);
			if (writer) await (writer as IntermediateWriter).close();
			writer = null;
			headerOk = false;
			headerLength = 0;
			rows = 0;
			plans = [];
			const encoding: Encoding = 'cp1251';
			result = await readCsv(file, encoding, onHeader, onRow, async () => {
				if (writer) await writer.drain();
			});
		}
		if ('problem' in result) errors.add(`${at(name, result.line)}${result.problem}`);
	} else {
		const result = await readXlsx(file, onHeader, (cells, line) => {
			// Excel drops trailing empty cells: pad to the header's width.
			while (cells.length < headerLength) cells.push('');
			onRow(cells.slice(0, Math.max(headerLength, cells.length)), line);
		}, errors);
		if ('problem' in result) errors.add(`${name}: ${result.problem}`);
	}
	if (writer) await (writer as IntermediateWriter).close();
	if (headerLength === 0 && errors.count === errorsBefore) {
		errors.add(`${name}: has no header row (expected a first line with the columns ${spec.columns.filter((c) => !c.optional).map((c) => c.name).join(', ')})`);
		return null;
	}
	if (headerOk && rows === 0) {
		errors.add(`${name}: has a header but no data rows (expected at least one row)`);
		return null;
	}
	if (!headerOk) return null;
	return { table: spec.name, file, path, columns, rows };
}
