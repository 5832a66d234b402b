/**
 * Download files: CSV (UTF-8 with BOM), JSON, the zip with metadata, and saving a blob. Pure
 * except `saveBlob` (DOM).
 */
import { zipSync, strToU8 } from 'fflate';

export type Cell = string | number | boolean | null;
export type DataRow = Record<string, Cell>;

export const BOM = '\ufeff';

function csvCell(v: Cell): string {
	if (v == null) return '';
	const s = String(v);
	// Text a spreadsheet would run as a formula is prefixed with ' (CSV injection); numbers are not.
	const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
	return /[",\n\r;]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe;
}

/** RFC 4180 CSV with a header of column names, CRLF line ends and a byte order mark (Excel + Cyrillic). */
export function rowsToCsv(columns: readonly string[], rows: readonly DataRow[]): string {
	const lines = [columns.map((c) => csvCell(c)).join(',')];
	for (const r of rows) lines.push(columns.map((c) => csvCell(r[c] ?? null)).join(','));
	return BOM + lines.join('\r\n') + '\r\n';
}

export function rowsToJson(rows: readonly DataRow[]): string {
	return JSON.stringify(rows, null, 0).replace(/\},\{/g, '},\n{');
}

export type Format = 'csv' | 'parquet' | 'json';

export function zipFiles(files: Record<string, Uint8Array | string>): Uint8Array {
	const entries: Record<string, Uint8Array> = {};
	for (const [name, content] of Object.entries(files)) entries[name] = typeof content === 'string' ? strToU8(content) : content;
	return zipSync(entries, { level: 6 });
}

export function saveBlob(data: Uint8Array | string, fileName: string, type: string): void {
	const blob = new Blob([data as BlobPart], { type });
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 5000);
}
