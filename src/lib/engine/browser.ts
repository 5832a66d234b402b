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
import { createTableSql, parquetResources, type DataPackage } from './catalog';
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
	const wasmUrl = await fetchWasm(abs(bundle.mainModule));
	if (!bundle.mainWorker) throw new Error('No DuckDB worker for this browser');
	const worker = new Worker(abs(bundle.mainWorker));
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
	const pkgPromise: Promise<DataPackage> = options.dataPackage
		? Promise.resolve(options.dataPackage)
		: fetch(dataUrl + 'datapackage.json').then((r) => {
				if (!r.ok) throw new Error(`Could not load datapackage.json (${r.status})`);
				return r.json();
			});

	const [{ db, conn }, pkg] = await Promise.all([startDuckDB(), pkgPromise]);

	const resources = parquetResources(pkg);
	for (const r of resources) {
		// Registered by URL: DuckDB reads Parquet with HTTP range requests.
		await db.registerFileURL(r.path, dataUrl + r.path, duckdb.DuckDBDataProtocol.HTTP, false);
	}
	await Promise.all(resources.map((r) => conn.query(createTableSql(r, r.path))));

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
		tables: resources.map((r) => r.name),
		async query<T extends object>(sql: string, params: readonly SqlParam[] = []) {
			const table = params.length ? await (await prepare(sql)).query(...params) : await conn.query(sql);
			return arrowToRows<T>(table);
		},
		async close() {
			for (const s of statements.values()) await (await s).close().catch(() => {});
			await conn.close();
			await db.terminate();
		}
	};
}
