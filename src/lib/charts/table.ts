/** The data-table alternative every chart carries, and its CSV form. Pure: no Svelte, no DOM. */
export interface TableColumn {
	key: string;
	label: string;
	numeric?: boolean;
	/** The CSV header, when it differs from the label (e.g. ci95_low for machine-readable interval columns). */
	csv?: string;
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

/**
 * CSV with a header row of the column labels (or their `csv` names); raw (unformatted) numbers.
 * `constants` (what the chart is filtered to, in words; the release it was drawn from) become last
 * columns repeated on every row, so the file says what it holds and stays one rectangular table.
 */
export function tableToCsv(table: ChartTable, constants?: { label: string; value: string } | { label: string; value: string }[]): string {
	const extra = constants === undefined ? [] : Array.isArray(constants) ? constants : [constants];
	const lines = [[...table.columns.map((c) => csvCell(c.csv ?? c.label)), ...extra.map((e) => csvCell(e.label))].join(',')];
	for (const row of table.rows) lines.push([...table.columns.map((c) => csvCell(row[c.key])), ...extra.map((e) => csvCell(e.value))].join(','));
	return lines.join('\r\n') + '\r\n';
}

/** UTF-8 with a byte order mark, so Excel opens Cyrillic and Kazakh letters correctly. */
export function csvBlob(csv: string): Blob {
	return new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' });
}
