/**
 * Finding and reading the monitors' files: which file holds which table, what encoding a CSV is in
 * (UTF-8 with or without BOM, else Windows-1251), and the rows of a CSV or .xlsx file with the line
 * number the user sees. Rows are handed to a callback one by one so big files stream.
 */
import { createReadStream, readdirSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { CsvParser } from './csv.ts';
import type { ErrorCollector } from './errors.ts';
import type { InputTable } from './schema.ts';

export interface SourceFile {
	table: InputTable;
	path: string;
	/** File name as the user knows it, used in messages. */
	name: string;
	format: 'csv' | 'xlsx';
}

/** Map each expected table to its file (`<table>.csv` or `<table>.xlsx`, any letter case). */
export function findInputFiles(dir: string, tables: InputTable[], errors: ErrorCollector): SourceFile[] {
	let entries: string[];
	try {
		entries = readdirSync(dir);
	} catch {
		errors.add(`input folder ${dir} cannot be read (does it exist?)`);
		return [];
	}
	const found: SourceFile[] = [];
	for (const table of tables) {
		const matches = entries.filter((e) => {
			const lower = e.toLowerCase();
			return lower === `${table}.csv` || lower === `${table}.xlsx`;
		});
		if (matches.length === 0) {
			errors.add(`${table}: no file ${table}.csv or ${table}.xlsx in ${dir} (expected one file per table)`);
			continue;
		}
		if (matches.length > 1) {
			errors.add(`${table}: both ${matches.join(' and ')} are present (expected exactly one file per table; remove one)`);
			continue;
		}
		const name = matches[0];
		const path = join(dir, name);
		const problem = notAFile(path);
		if (problem) {
			errors.add(`${name}: ${problem} (expected the ${table} table as a .csv or .xlsx file)`);
			continue;
		}
		found.push({ table, path, name, format: name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv' });
	}
	const known = new Set(tables.flatMap((t) => [`${t}.csv`, `${t}.xlsx`]));
	for (const e of entries) {
		if (!known.has(e.toLowerCase()) && e !== 'SYNTHETIC.json' && !e.startsWith('.')) errors.warn(`${e}: not one of the expected files; ignored`);
	}
	return found;
}

/** Why a path named like an input file cannot be read as one, in words (null: it is a readable file). */
function notAFile(path: string): string | null {
	try {
		const st = statSync(path);
		if (st.isDirectory()) return 'is a folder, not a file';
		if (!st.isFile()) return 'is not a regular file';
		closeSync(openSync(path, 'r'));
		return null;
	} catch (err) {
		return describeFsError(err);
	}
}

/** A file-system error in words, without the system's error code or any path. */
export function describeFsError(err: unknown): string {
	const code = (err as NodeJS.ErrnoException)?.code;
	switch (code) {
		case 'EACCES':
		case 'EPERM':
			return 'cannot be read: permission denied (check the file\'s permissions)';
		case 'ENOENT':
			return 'cannot be found (was it moved or deleted while the pipeline ran, or is it a broken link?)';
		case 'EISDIR':
			return 'is a folder, not a file';
		case 'ELOOP':
			return 'is a link that points to itself';
		case 'EIO':
			return 'cannot be read: the disk reported an error';
		default:
			return 'cannot be read';
	}
}

export type Encoding = 'utf8' | 'cp1251';

/**
 * Refuse files that are not text at all, with a message saying why (looks at the first 64 KB).
 * Whether a text file is UTF-8 or Windows-1251 is decided while reading (see readCsv): a file that
 * is not valid UTF-8 is re-read as Windows-1251, where every byte sequence is valid.
 */
export function checkTextFile(file: SourceFile): { problem: string } | null {
	const head = Buffer.alloc(65536);
	const fd = openSync(file.path, 'r');
	const headLength = readSync(fd, head, 0, head.length, 0);
	closeSync(fd);
	const start = head.subarray(0, headLength);
	if (start[0] === 0x50 && start[1] === 0x4b && start[2] === 0x03 && start[3] === 0x04) {
		return { problem: 'is a zip/Excel file, not text (expected a CSV file; name an Excel workbook .xlsx)' };
	}
	if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) {
		return { problem: 'is encoded as UTF-16 (expected UTF-8 or Windows-1251; in Excel choose "CSV UTF-8")' };
	}
	if (start.includes(0)) return { problem: 'contains NUL bytes, so it is not a text CSV file (expected UTF-8 or Windows-1251 text)' };
	return null;
}

export type RowHandler = (cells: string[], line: number) => void;

/**
 * Stream a CSV file: the first record is the header, the rest go to onRow. `afterChunk` lets the
 * caller wait for its own writes (back-pressure). Returns the separator used, or an error text.
 */
export async function readCsv(
	file: SourceFile,
	encoding: Encoding,
	onHeader: (cells: string[], line: number) => void,
	onRow: RowHandler,
	afterChunk: () => Promise<void>
): Promise<{ separator: string } | { problem: string; line: number } | { notUtf8: true }> {
	let headerSeen = false;
	const parser = new CsvParser((fields, line) => {
		if (!headerSeen) {
			headerSeen = true;
			onHeader(fields, line);
		} else onRow(fields, line);
	});
	// fatal: an invalid UTF-8 sequence throws, and the caller re-reads the file as Windows-1251.
	const decode = encoding === 'utf8' ? new TextDecoder('utf-8', { fatal: true }) : null;
	const cp1251 = encoding === 'cp1251' ? iconv.getDecoder('win1251') : null;
	let first = true;
	const stream = createReadStream(file.path, { highWaterMark: 1 << 20 });
	for await (const chunk of stream) {
		let text: string;
		try {
			text = decode ? decode.decode(chunk as Buffer, { stream: true }) : cp1251!.write(chunk as Buffer);
		} catch {
			stream.destroy();
			return { notUtf8: true };
		}
		if (first) {
			text = text.replace(/^\uFEFF/, '');
			first = false;
		}
		parser.push(text);
		await afterChunk();
	}
	if (decode) {
		try {
			parser.push(decode.decode());
		} catch {
			return { notUtf8: true };
		}
	}
	const unclosed = parser.end();
	if (unclosed) return { problem: 'a quoted field starts here and is never closed (expected a closing " before the end of the file)', line: unclosed };
	return { separator: parser.separatorChar };
}

/** Text of an Excel cell as a monitor sees it; dates become ISO dates. */
function cellText(value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	if (typeof value === 'object') {
		if ('richText' in value) return value.richText.map((r) => r.text).join('');
		if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
		if ('text' in value) return String(value.text);
		if ('error' in value) return String(value.error);
		return '';
	}
	return String(value);
}

function sheetHasData(sheet: ExcelJS.Worksheet): boolean {
	let found = false;
	sheet.eachRow({ includeEmpty: false }, (row) => {
		if (!found && (row.values as ExcelJS.CellValue[]).some((v) => cellText(v).trim() !== '')) found = true;
	});
	return found;
}

/**
 * Read an .xlsx file. Rule for workbooks with several sheets: a sheet named like the table (e.g.
 * "visits") is used; otherwise the workbook must have exactly one sheet with data. Anything else is
 * an error, because guessing which sheet is the table could publish the wrong data.
 */
export async function readXlsx(
	file: SourceFile,
	onHeader: (cells: string[], line: number) => void,
	onRow: RowHandler,
	errors: ErrorCollector
): Promise<{ problem: string } | { sheet: string }> {
	const workbook = new ExcelJS.Workbook();
	try {
		await workbook.xlsx.readFile(file.path);
	} catch (err) {
		return { problem: `cannot be read as an Excel workbook (${err instanceof Error ? err.message : String(err)}; expected an .xlsx file saved by Excel or LibreOffice)` };
	}
	const sheets = workbook.worksheets;
	const withData = sheets.filter(sheetHasData);
	const named = sheets.find((s) => s.name.trim().toLowerCase() === file.table);
	let sheet: ExcelJS.Worksheet;
	if (named) sheet = named;
	else if (withData.length === 1) sheet = withData[0];
	else if (withData.length === 0) return { problem: 'has no sheet with data (expected one sheet with a header row and data rows)' };
	else
		return {
			problem: `has ${withData.length} sheets with data (${withData.map((s) => `"${s.name}"`).join(', ')}); expected exactly one, or one named "${file.table}" which is then used and the others ignored`
		};
	for (const other of sheets) {
		if (other !== sheet && withData.includes(other)) errors.warn(`${file.name}: sheet "${other.name}" ignored; the table is read from sheet "${sheet.name}"`);
	}
	let headerSeen = false;
	sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
		const values = row.values as ExcelJS.CellValue[]; // 1-based: values[0] is empty
		const cells: string[] = [];
		for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
		while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
		if (cells.length === 0) return;
		if (!headerSeen) {
			headerSeen = true;
			onHeader(cells, rowNumber);
		} else onRow(cells, rowNumber);
	});
	return { sheet: sheet.name };
}

export function fileSize(path: string): number {
	return statSync(path).size;
}
