/**
 * The one interface every part of the app uses to ask DuckDB something.
 * Two implementations share it: the browser engine (DuckDB-WASM in a worker, see browser.ts)
 * and the Node engine (the same WASM build, blocking, see $lib/server/engine-node.ts), so
 * SQL tested in Node is SQL the browser runs.
 */
import type { Cube } from '$lib/cubes/cube';
import type { CubeName } from '$lib/cubes/definitions';

export type SqlParam = string | number | boolean | null;

/** A row as it leaves the engine: plain values, BIGINT as number, DATE as 'yyyy-mm-dd'. */
export type Row = Record<string, string | number | boolean | null>;

export interface Engine {
	/**
	 * Run one statement. Parameters are bound ($1, $2, ... or ?), never spliced into the text.
	 * JS numbers bind as DOUBLE in DuckDB 0.9: cast in SQL where an integer is meant ($1::INTEGER).
	 */
	query<T extends object = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
	/**
	 * A rollup (pre-aggregated cube, see $lib/cubes) read once by DuckDB and held as typed arrays.
	 * The dashboard's views read these; the microdata are for downloads and the SQL console.
	 */
	cube(name: CubeName): Promise<Cube>;
	/** The released tables this engine can see, from datapackage.json. */
	readonly tables: readonly string[];
	close(): Promise<void>;
}

/** Thrown (by the latest-wins helper) when an answer arrives after a newer request was made. */
export class StaleResultError extends Error {
	constructor() {
		super('A newer request replaced this one');
		this.name = 'StaleResultError';
	}
}
