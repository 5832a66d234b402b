/** The data-table alternative every chart carries, and its CSV form. Pure: no Svelte, no DOM. */
export interface TableColumn {
	key: string;
	label: string;
	numeric?: boolean;
}

export type TableValue = string | number | null;
export type TableRow = Record<string, TableValue>;

export interface ChartTable {
	columns: TableColumn[];
	rows: TableRow[];
}

function csvCell(v: TableValue): string {
	if (v == null) return '';
	const s = String(v);
	// Quote when needed; prefix cells that a spreadsheet would run as a formula (CSV injection).
	const safe = /^[=+\-@\t\r]/.test(s) && typeof v !== 'number' ? "'" + s : s;
	return /[",\n\r;]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe;
}

/** CSV with a header row of the column labels; raw (unformatted) numbers. */
export function tableToCsv(table: ChartTable): string {
	const lines = [table.columns.map((c) => csvCell(c.label)).join(',')];
	for (const row of table.rows) lines.push(table.columns.map((c) => csvCell(row[c.key])).join(','));
	return lines.join('\r\n') + '\r\n';
}

/** UTF-8 with a byte order mark, so Excel opens Cyrillic and Kazakh letters correctly. */
export function csvBlob(csv: string): Blob {
	return new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' });
}
