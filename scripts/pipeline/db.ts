/**
 * The DuckDB database used by the pipeline (@duckdb/node-api), in memory. Extension auto-install and
 * auto-load are off: the pipeline must never reach the network, and nothing here needs an extension.
 *
 * memory_limit caps DuckDB's own buffers (the process also holds Node and the CSV reader's buffers):
 * beyond it DuckDB spills to `workdir` (the run's private folder, removed at the end), so the whole
 * pipeline stays under 2 GB at scale 1000 (docs/data-pipeline.md, section 7). Override with
 * NPM_DUCKDB_MEMORY (e.g. "4GB") and NPM_DUCKDB_THREADS.
 */
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export const DEFAULT_MEMORY_LIMIT = '1GB';

export async function openDb(workdir?: string): Promise<{ conn: DuckDBConnection; close: () => void }> {
	const options: Record<string, string> = {
		autoinstall_known_extensions: 'false',
		autoload_known_extensions: 'false',
		memory_limit: process.env.NPM_DUCKDB_MEMORY || DEFAULT_MEMORY_LIMIT
	};
	if (process.env.NPM_DUCKDB_THREADS) options.threads = process.env.NPM_DUCKDB_THREADS;
	const instance = await DuckDBInstance.create(':memory:', options);
	const conn = await instance.connect();
	await conn.run('SET autoinstall_known_extensions=false');
	await conn.run('SET autoload_known_extensions=false');
	if (workdir) await conn.run(`SET temp_directory = ${lit(join(workdir, 'duckdb-spill'))}`);
	if (process.env.NPM_PIPELINE_TRACE) traceStatements(conn);
	return {
		conn,
		close: () => {
			conn.closeSync();
			instance.closeSync();
		}
	};
}

/**
 * NPM_PIPELINE_TRACE=1: every statement that takes 0.5 s or more is printed to stderr with its wall
 * time and its first 160 characters (a diagnostic for finding where a run spends its time).
 */
function traceStatements(conn: DuckDBConnection): void {
	const wrap = <A extends unknown[], R>(fn: (sql: string, ...rest: A) => Promise<R>) =>
		async (sql: string, ...rest: A): Promise<R> => {
			const t0 = performance.now();
			try {
				return await fn(sql, ...rest);
			} finally {
				const ms = performance.now() - t0;
				if (ms >= 500) process.stderr.write(`[sql ${(ms / 1000).toFixed(1)} s] ${sql.replace(/\s+/g, ' ').slice(0, 160)}\n`);
			}
		};
	// runAndReadAll (queryRows) goes through run too: one wrapper times every statement once.
	conn.run = wrap(conn.run.bind(conn)) as typeof conn.run;
}

/** Rows of a query as plain objects (BigInt counts turned into numbers). */
export async function queryRows<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string): Promise<T[]> {
	const reader = await conn.runAndReadAll(sql);
	return reader.getRowObjectsJS() as T[];
}

export async function queryValue<T = unknown>(conn: DuckDBConnection, sql: string): Promise<T> {
	const rows = await queryRows<Record<string, T>>(conn, sql);
	return Object.values(rows[0])[0];
}

/** Drop the table or view `name`, whichever it is (DuckDB refuses DROP VIEW on a table, and the reverse). */
export async function dropRelation(conn: DuckDBConnection, name: string): Promise<void> {
	const [r] = await queryRows<{ v: bigint; t: bigint }>(
		conn,
		`SELECT (SELECT count(*) FROM duckdb_views() WHERE view_name = ${lit(name)} AND NOT internal) AS v, (SELECT count(*) FROM duckdb_tables() WHERE table_name = ${lit(name)}) AS t`
	);
	if (Number(r.v) > 0) await conn.run(`DROP VIEW ${name}`);
	if (Number(r.t) > 0) await conn.run(`DROP TABLE ${name}`);
}

/** SQL string literal. */
export function lit(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}
