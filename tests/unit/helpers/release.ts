/**
 * For tests that check the app's answers against SQL written in the test: the app's own engine
 * (createNodeEngine, DuckDB-WASM as at build time) and an independent connection
 * (@duckdb/node-api) over the same released files in static/data.
 */
import { afterAll, beforeAll } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import path from 'node:path';
import { createNodeEngine } from '../../../src/lib/server/engine-node';
import type { Engine } from '../../../src/lib/engine/types';

export const DATA = path.resolve('static/data');

/** A released table as a DuckDB table expression. */
export const parquet = (table: string) => `read_parquet('${path.join(DATA, table + '.parquet')}')`;

/** A list of strings as SQL literals (quotes doubled). */
export const sqlList = (values: string[]) => values.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ');

/** Opens both before the file's tests and closes the engine after them; read the fields inside tests. */
export function releaseConnections(): { engine: Engine; conn: DuckDBConnection } {
	const c = {} as { engine: Engine; conn: DuckDBConnection };
	beforeAll(async () => {
		c.engine = await createNodeEngine({ dataDir: DATA });
		c.conn = await (await DuckDBInstance.create(':memory:')).connect();
	}, 60_000);
	afterAll(() => c.engine?.close());
	return c;
}
