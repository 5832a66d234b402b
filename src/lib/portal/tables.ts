/**
 * The dashboard's view state applied to any released table: for each table, the column (or SQL
 * expression) each filter applies to. Filters a table has no column for are not applied, and the
 * portal says so. Fixed SQL text; every value is bound by whereClause.
 */
import { whereClause } from '$lib/queries/filters';
import { TABLE_FILTERS } from '$lib/queries/registry';
import { LIST_FILTERS, type ListFilter, type ViewState } from '$lib/state/view-state';
import type { SqlParam } from '$lib/engine/types';
import { own } from '$lib/state/own';

export { TABLE_FILTERS };

const SAFE_TABLE = /^[a-z][a-z0-9_]{0,62}$/;

export interface FilteredQuery {
	sql: string;
	countSql: string;
	params: SqlParam[];
	/** Filters set in the state that this table has no column for (not applied). */
	ignored: (ListFilter | 'year')[];
}

/** The rows of `table` under the view state, in the table's own order. */
export function filteredQuery(table: string, state: ViewState, limit?: number): FilteredQuery {
	if (!SAFE_TABLE.test(table)) throw new Error(`Not a table name: ${table}`);
	const columns = own(TABLE_FILTERS, table) ?? {};
	const w = whereClause(state, columns);
	const ignored: (ListFilter | 'year')[] = [];
	if ((state.from !== null || state.to !== null) && !columns.year) ignored.push('year');
	for (const key of Object.keys(LIST_FILTERS) as ListFilter[]) if (state[key].length && !columns[key]) ignored.push(key);
	return {
		sql: `SELECT * FROM ${table}${w.sql}${limit ? ` LIMIT ${Math.floor(limit)}` : ''}`,
		countSql: `SELECT count(*) AS n FROM ${table}${w.sql}`,
		params: w.params,
		ignored
	};
}
