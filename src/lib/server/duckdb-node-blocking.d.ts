// The node-blocking build has no typings of its own; it exposes the blocking API plus NODE_RUNTIME.
declare module '@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs' {
	export * from '@duckdb/duckdb-wasm/blocking';
	import type { DuckDBRuntime } from '@duckdb/duckdb-wasm/blocking';
	export const NODE_RUNTIME: DuckDBRuntime;
}
