/**
 * View state -> a WHERE clause with bound parameters. The SQL text is made only of the fixed
 * fragments below and column expressions written in query modules; every value from the state
 * (which came from a URL) is a bound parameter. Lists bind as one string split in SQL, because
 * DuckDB-WASM 1.28 cannot bind a list parameter (README, "How it is built", Engine).
 */
import type { SqlParam } from '$lib/engine/types';
import { LIST_FILTERS, type ListFilter, type ViewState } from '$lib/state/view-state';

/** For each filter a table supports: the SQL expression it applies to. */
export type FilterColumns = Partial<Record<ListFilter | 'year', string>>;

export interface WhereClause {
	/** '' or ' WHERE ...' */
	sql: string;
	params: SqlParam[];
}

const SEP = '\x1f';

export interface WhereOptions {
	/** Filters to leave out (e.g. the map shows every region even when some are selected). */
	skip?: (ListFilter | 'year')[];
	/** Extra fixed conditions (SQL written in the query module), ANDed in front. */
	extra?: string[];
}

export function whereClause(state: ViewState, columns: FilterColumns, options: WhereOptions = {}): WhereClause {
	const skip = new Set(options.skip ?? []);
	const conditions: string[] = [...(options.extra ?? [])];
	const params: SqlParam[] = [];
	if (columns.year && !skip.has('year')) {
		if (state.from !== null) {
			conditions.push(`${columns.year} >= ?::INTEGER`);
			params.push(state.from);
		}
		if (state.to !== null) {
			conditions.push(`${columns.year} <= ?::INTEGER`);
			params.push(state.to);
		}
	}
	for (const key of Object.keys(LIST_FILTERS) as ListFilter[]) {
		const column = columns[key];
		if (!column || skip.has(key) || !state[key].length) continue;
		conditions.push(`list_contains(string_split(?, chr(31)), ${column})`);
		params.push(state[key].join(SEP));
	}
	return { sql: conditions.length ? ' WHERE ' + conditions.join(' AND ') : '', params };
}
