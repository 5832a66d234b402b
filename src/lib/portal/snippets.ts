/**
 * Ready-to-run code that fetches the same rows as the portal's filtered download, from the site's
 * own Parquet files: the DuckDB CLI, Python (duckdb with pandas or polars) and R (duckdb through
 * DBI). The filter is the download's (the registry's columns for the table, TABLE_FILTERS), written
 * out as readable SQL literals: years as integers, codes quoted with any quote doubled. This text is
 * shown to the reader to copy; it is never run by the site's engine.
 */
import { TABLE_FILTERS } from '$lib/queries/registry';
import { LIST_FILTERS, type ListFilter, type ViewState } from '$lib/state/view-state';
import { own } from '$lib/state/own';

export type SnippetLanguage = 'duckdb' | 'python' | 'r';
export const SNIPPET_LANGUAGES: SnippetLanguage[] = ['duckdb', 'python', 'r'];

const SAFE_TABLE = /^[a-z][a-z0-9_]{0,62}$/;
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export interface SnippetInput {
	table: string;
	state: ViewState;
	/** Absolute URL of the folder holding the released Parquet files, ending in '/'. */
	dataUrl: string;
	/** For the header comment, in the reader's language: the site's name and the release ("Release 1.0.0."). */
	site: string;
	release: string;
	/** The selection in words, for the header comment (one line). */
	selection: string;
}

/** The SQL of the filtered rows, with the tables it reads (a filter may read another table). */
export function selectionSql(table: string, state: ViewState): { sql: string; tables: string[] } {
	if (!SAFE_TABLE.test(table)) throw new Error(`Not a table name: ${table}`);
	const columns = own(TABLE_FILTERS, table) ?? {};
	const conditions: string[] = [];
	if (columns.year) {
		if (state.from !== null && state.to !== null) conditions.push(`${columns.year} BETWEEN ${Math.trunc(state.from)} AND ${Math.trunc(state.to)}`);
		else if (state.from !== null) conditions.push(`${columns.year} >= ${Math.trunc(state.from)}`);
		else if (state.to !== null) conditions.push(`${columns.year} <= ${Math.trunc(state.to)}`);
	}
	for (const key of Object.keys(LIST_FILTERS) as ListFilter[]) {
		const column = columns[key];
		const values = state[key];
		if (!column || !values.length) continue;
		conditions.push(values.length === 1 ? `${column} = ${quote(values[0])}` : `${column} IN (${values.map(quote).join(', ')})`);
	}
	const used = Object.values(columns).filter((c, i, all) => c && all.indexOf(c) === i).join(' ');
	const others = [...used.matchAll(/\bFROM\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]).filter((t) => t !== table);
	const sql = `SELECT *\nFROM ${table}` + (conditions.length ? `\nWHERE ${conditions.join('\n  AND ')}` : '');
	return { sql, tables: [table, ...new Set(others)] };
}

/** One snippet per language. */
export function snippets(input: SnippetInput): Record<SnippetLanguage, string> {
	const { sql, tables } = selectionSql(input.table, input.state);
	const views = tables.map((t) => `CREATE VIEW ${t} AS SELECT * FROM read_parquet('${input.dataUrl}${t}.parquet');`);
	const header = (c: string) => `${c} ${input.site} · ${input.release.replace(/\.$/, '')} · ${input.table}\n${c} ${input.selection.replace(/\s+/g, ' ')}`;
	const duckdb = [header('--'), 'INSTALL httpfs;', 'LOAD httpfs;', ...views, `${sql};`].join('\n');
	const python = [
		header('#'),
		'# pip install duckdb pandas   (or polars)',
		'import duckdb',
		'',
		'con = duckdb.connect()',
		'con.execute("INSTALL httpfs; LOAD httpfs;")',
		...views.map((v) => `con.execute("${v.replace(/;$/, '')}")`),
		`query = """\n${sql}\n"""`,
		'df = con.sql(query).df()  # pandas',
		'# df = con.sql(query).pl()  # polars',
		'print(df)'
	].join('\n');
	const r = [
		header('#'),
		'# install.packages(c("DBI", "duckdb"))',
		'library(DBI)',
		'',
		'con <- dbConnect(duckdb::duckdb())',
		'dbExecute(con, "INSTALL httpfs; LOAD httpfs;")',
		...views.map((v) => `dbExecute(con, "${v.replace(/;$/, '')}")`),
		`df <- dbGetQuery(con, "\n${sql}\n")`,
		'print(df)',
		'dbDisconnect(con, shutdown = TRUE)'
	].join('\n');
	return { duckdb, python, r };
}
