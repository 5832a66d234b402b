/**
 * DuckDB-WASM in the browser. Import this module only with a dynamic import() from the browser
 * (see ./index.ts): under SSR the package resolves to its Node build, and a static import where a
 * page prerenders crashes the build.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
// Self-hosted engine files: never fetched from a CDN (people who document torture are watched).
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { arrowToRows } from './rows';
import { createTableSql, parquetResources, type DataPackage, type DataResource } from './catalog';
import { cubeLoader } from '$lib/cubes/load';
import { once } from '$lib/engine/once';
import type { Engine, SqlParam } from './types';

const BUNDLES: duckdb.DuckDBBundles = {
	mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
	eh: { mainModule: ehWasm, mainWorker: ehWorker }
};

/**
 * duckdb-wasm 1.28 waits for ever when the worker cannot download the .wasm (the error stays in
 * the worker). Fetch it here, where a failure is visible, and hand the worker a blob URL.
 */
async function fetchWasm(url: string): Promise<string> {
	const res = await fetch(url);
	if (!res.ok) throw new Error(`Could not load the query engine (${res.status} for ${url})`);
	const blob = new Blob([await res.arrayBuffer()], { type: 'application/wasm' });
	return URL.createObjectURL(blob);
}

/**
 * A started DuckDB-WASM: bundle chosen for this browser, self-hosted .wasm and worker, BIGINT as
 * double, and extension autoload/autoinstall off. Shared by the page engine and the portal's
 * console session (console.ts), so both start the same way.
 */
export async function startDuckDB(): Promise<{ db: duckdb.AsyncDuckDB; conn: duckdb.AsyncDuckDBConnection }> {
	const bundle = await duckdb.selectBundle(BUNDLES);
	const abs = (u: string) => new URL(u, location.href).href;
	if (!bundle.mainWorker) throw new Error('No DuckDB worker for this browser');
	// The worker script loads while the .wasm downloads: the two requests run in parallel.
	const worker = new Worker(abs(bundle.mainWorker));
	let wasmUrl: string;
	try {
		wasmUrl = await fetchWasm(abs(bundle.mainModule));
	} catch (err) {
		worker.terminate();
		throw err;
	}
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	await db.instantiate(wasmUrl);
	URL.revokeObjectURL(wasmUrl);
	await db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
	const conn = await db.connect();
	// Never fetch an extension from the DuckDB extension host.
	await conn.query('SET autoinstall_known_extensions=false');
	await conn.query('SET autoload_known_extensions=false');
	return { db, conn };
}

export interface BrowserEngineOptions {
	/** Absolute URL of the folder holding datapackage.json and the Parquet files. */
	dataUrl: string;
	/** The parsed datapackage.json, if the page already has it. */
	dataPackage?: DataPackage;
}

export async function createBrowserEngine(options: BrowserEngineOptions): Promise<Engine> {
	const dataUrl = options.dataUrl.endsWith('/') ? options.dataUrl : options.dataUrl + '/';
	const getJson = async <T>(file: string): Promise<T> => {
		const r = await fetch(dataUrl + file);
		if (!r.ok) throw new Error(`Could not load ${file} (${r.status})`);
		return r.json();
	};
	const { db, conn } = await startDuckDB();
	// The catalogue is fetched when a query first needs a table (views read only rollups).
	const catalogue = once(() => (options.dataPackage ? Promise.resolve(options.dataPackage) : getJson<DataPackage>('datapackage.json')));
	let tableNames: string[] = [];

	// Tables are registered when a query first names them, one by one: a page reads only what it
	// needs, and a missing or corrupt file breaks only the queries that read it.
	const table = once(async (r: DataResource) => {
		// duckdb-wasm 1.28 can wait for ever on a file the server does not have: ask first.
		const head = await fetch(dataUrl + r.path, { method: 'HEAD' });
		if (!head.ok) throw new Error(`Could not load ${r.path} (${head.status})`);
		await db.registerFileURL(r.path, dataUrl + r.path, duckdb.DuckDBDataProtocol.HTTP, false);
		try {
			await conn.query(createTableSql(r, r.path));
		} catch (err) {
			await db.dropFile(r.path).catch(() => {});
			throw new Error(`Could not read ${r.path}: ${err instanceof Error ? err.message : String(err)}`);
		}
	});
	const tablesIn = async (sql: string) => {
		const all = parquetResources(await catalogue(undefined));
		tableNames = all.map((r) => r.name);
		// Names are [a-z0-9_] (catalog.ts): a word match finds every table the statement may read.
		return all.filter((r) => new RegExp(`\\b${r.name}\\b`, 'i').test(sql));
	};

	// Rollups: the same Arrow files the page's views read (no DuckDB round trip needed).
	const cube = cubeLoader(dataUrl);

	// Prepared statements are cached per SQL text: the SQL is fixed per query module.
	const statements = new Map<string, Promise<duckdb.AsyncPreparedStatement>>();
	const prepare = (sql: string) => {
		let stmt = statements.get(sql);
		if (!stmt) {
			stmt = conn.prepare(sql);
			statements.set(sql, stmt);
			stmt.catch(() => statements.delete(sql));
		}
		return stmt;
	};

	return {
		/** Known once a query has needed the catalogue. */
		get tables() {
			return tableNames;
		},
		cube,
		async query<T extends object>(sql: string, params: readonly SqlParam[] = []) {
			await Promise.all((await tablesIn(sql)).map(table));
			const result = params.length ? await (await prepare(sql)).query(...params) : await conn.query(sql);
			return arrowToRows<T>(result);
		},
		async close() {
			for (const s of statements.values()) await (await s).close().catch(() => {});
			await conn.close();
			await db.terminate();
		}
	};
}
