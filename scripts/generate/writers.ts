/**
 * Writers for the monitors' files in the formats secretariats export: CSV in UTF-8 (with or without
 * BOM) or Windows-1251, `,` or `;`, decimal point or comma; and .xlsx. CSV writing is streamed in
 * chunks with back-pressure so a 10-million-row file never sits in memory.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { writeFileSync } from 'node:fs';

export interface CsvFormat {
	encoding: 'utf8' | 'utf8-bom' | 'cp1251';
	separator: ',' | ';';
	decimalComma: boolean;
}

export type Cell = string | number | null | undefined;

export class CsvWriter {
	private readonly stream: WriteStream;
	private buffer: string[] = [];
	private bufferedChars = 0;
	private readonly quoteNeeded: RegExp;

	constructor(
		path: string,
		private readonly format: CsvFormat,
		header: string[]
	) {
		this.stream = createWriteStream(path);
		if (format.encoding === 'utf8-bom') this.stream.write('\uFEFF');
		this.quoteNeeded = format.separator === ';' ? /[;"\r\n]/ : /[,"\r\n]/;
		this.buffer.push(header.join(format.separator) + '\r\n');
	}

	private cell(value: Cell): string {
		if (value === null || value === undefined) return '';
		let text = typeof value === 'number' ? String(value) : value;
		if (typeof value === 'number' && this.format.decimalComma) text = text.replace('.', ',');
		return this.quoteNeeded.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
	}

	/** Queue a row; flushes to disk every ~1 MB. Await it to respect the disk's pace. */
	async row(cells: Cell[]): Promise<void> {
		const line = cells.map((c) => this.cell(c)).join(this.format.separator) + '\r\n';
		this.buffer.push(line);
		this.bufferedChars += line.length;
		if (this.bufferedChars > 1_000_000) await this.flush();
	}

	private async flush(): Promise<void> {
		const text = this.buffer.join('');
		this.buffer = [];
		this.bufferedChars = 0;
		const bytes = this.format.encoding === 'cp1251' ? iconv.encode(text, 'win1251') : Buffer.from(text, 'utf8');
		if (!this.stream.write(bytes)) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
	}

	async close(): Promise<void> {
		await this.flush();
		await new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
	}
}

/** Small tables as an Excel workbook with one sheet; dates become real Excel dates. */
export async function writeXlsx(path: string, sheetName: string, header: string[], rows: (Cell | Date)[][]): Promise<void> {
	const workbook = new ExcelJS.Workbook();
	// Fixed metadata dates so the same seed gives the same bytes.
	workbook.created = workbook.modified = new Date(Date.UTC(2026, 0, 1));
	workbook.creator = 'scripts/generate';
	const sheet = workbook.addWorksheet(sheetName);
	sheet.addRow(header);
	for (const row of rows) sheet.addRow(row.map((c) => (c === null || c === undefined ? null : c)));
	// exceljs stamps every zip entry with the current time: repack with a fixed time so that the
	// same seed gives byte-identical files.
	const packed = new Uint8Array(await workbook.xlsx.writeBuffer());
	const entries = unzipSync(packed);
	const fixed = new Date(Date.UTC(2026, 0, 1));
	const files = Object.fromEntries(Object.entries(entries).map(([name, data]) => [name, [data, { mtime: fixed }] as [Uint8Array, { mtime: Date }]]));
	writeFileSync(path, zipSync(files, { level: 6 }));
}
