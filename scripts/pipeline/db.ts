/**
 * The DuckDB connection used by the pipeline (@duckdb/node-api). Extension auto-install and
 * auto-load are off: the pipeline must never reach the network, and nothing here needs an extension.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** `spillDir`: where DuckDB may spill to disk on big inputs (the run's private work folder). */
export async function openDb(spillDir?: string): Promise<{ conn: DuckDBConnection; close: () => void }> {
	const instance = await DuckDBInstance.create(':memory:', {
		autoinstall_known_extensions: 'false',
		autoload_known_extensions: 'false'
	});
	const conn = await instance.connect();
	await conn.run('SET autoinstall_known_extensions=false');
	await conn.run('SET autoload_known_extensions=false');
	if (spillDir) await conn.run(`SET temp_directory = ${lit(spillDir)}`);
	return {
		conn,
		close: () => {
			conn.closeSync();
			instance.closeSync();
		}
	};
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

/** SQL string literal. */
export function lit(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}
