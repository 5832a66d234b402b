/**
 * The same DuckDB-WASM engine as the browser, in Node (blocking build): unit tests and build-time
 * rendering run exactly the SQL dialect (DuckDB v0.9.1) the browser runs. Lives in $lib/server so
 * SvelteKit refuses to bundle it into client code.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as DuckDBBlocking from '@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs';
import { arrowToRows } from '../engine/rows';
import { createTableSql, parquetResources, type DataPackage } from '../engine/catalog';
import type { Engine, SqlParam } from '../engine/types';
import { cubeFromArrow } from '../cubes/arrow';
import type { Cube } from '../cubes/cube';
import { MANIFEST_FILE, ROLLUP_DIR, type CubeName, type RollupManifest } from '../cubes/definitions';

const require = createRequire(import.meta.url);

export interface NodeEngineOptions {
	/** Folder with datapackage.json and the Parquet files; relative paths resolve from the cwd. */
	dataDir: string;
}

/**
 * A started engine without tables: the blocking build's module, database and connection, with
 * BIGINT as double and extension autoload/autoinstall off (as the browser starts it, browser.ts).
 */
export async function startNodeDuckDB() {
	const duckdb: typeof DuckDBBlocking = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
	const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
	const bundles = {
		mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
		eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') }
	};
	const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
	await db.instantiate(() => {});
	db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
	const conn = db.connect();
	conn.query('SET autoinstall_known_extensions=false');
	conn.query('SET autoload_known_extensions=false');
	return { duckdb, db, conn };
}

export async function createNodeEngine(options: NodeEngineOptions): Promise<Engine> {
	const dataDir = path.resolve(options.dataDir);
	const pkgFile = path.join(dataDir, 'datapackage.json');
	let pkg: DataPackage;
	try {
		pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
	} catch (err) {
		throw new Error(`Cannot read ${pkgFile}: ${(err as Error).message}. Run "npm run data" first.`);
	}

	const { duckdb, db, conn } = await startNodeDuckDB();

	const resources = parquetResources(pkg);
	for (const r of resources) {
		db.registerFileURL(r.path, path.join(dataDir, r.path), duckdb.DuckDBDataProtocol.NODE_FS, false);
		conn.query(createTableSql(r, r.path));
	}
	const statements = new Map<string, ReturnType<typeof conn.prepare>>();

	// Rollups: the manifest is read on first use, each cube once per engine.
	let manifest: RollupManifest | undefined;
	const cubes = new Map<CubeName, Cube>();
	const loadCube = (name: CubeName): Cube => {
		if (!manifest) {
			const file = path.join(dataDir, ROLLUP_DIR, MANIFEST_FILE);
			try {
				manifest = JSON.parse(readFileSync(file, 'utf8')) as RollupManifest;
			} catch (err) {
				throw new Error(`Cannot read ${file}: ${(err as Error).message}. Run "npm run data:rollups -- --data ${options.dataDir}".`);
			}
		}
		const entry = manifest.cubes[name];
		if (!entry) throw new Error(`The rollups in ${dataDir} have no "${name}" cube (its tables are not in this release)`);
		const registered = `rollup_${entry.file}`;
		db.registerFileURL(registered, path.join(dataDir, ROLLUP_DIR, entry.file), duckdb.DuckDBDataProtocol.NODE_FS, false);
		return cubeFromArrow(name, conn.query(`SELECT * FROM read_parquet('${registered}')`), entry, { lastMonth: manifest.lastMonth });
	};

	return {
		tables: resources.map((r) => r.name),
		async cube(name) {
			let c = cubes.get(name);
			if (!c) cubes.set(name, (c = loadCube(name)));
			return c;
		},
		async query<T extends object>(sql: string, params: readonly SqlParam[] = []) {
			if (!params.length) return arrowToRows<T>(conn.query(sql));
			let stmt = statements.get(sql);
			if (!stmt) {
				stmt = conn.prepare(sql);
				statements.set(sql, stmt);
			}
			return arrowToRows<T>(stmt.query(...params));
		},
		async close() {
			for (const s of statements.values()) s.close();
			conn.close();
			db.reset();
		}
	};
}

const engines = new Map<string, Promise<Engine>>();

/** One engine per data folder per process: a build renders many pages from the same files. */
export function getNodeEngine(dataDir = process.env.DATA_DIR ?? 'static/data'): Promise<Engine> {
	const key = path.resolve(dataDir);
	let e = engines.get(key);
	if (!e) {
		e = createNodeEngine({ dataDir: key });
		engines.set(key, e);
		e.catch(() => engines.delete(key));
	}
	return e;
}

/**
 * The build's engine for one page, noting which rollups the page's default view reads. The page
 * hands that list to the browser (`data.cubes`), which starts downloading those files as the page
 * hydrates, so the live views take over sooner (prefetchCubes in $lib/engine/page-engine).
 */
export async function getPageEngine(): Promise<{ engine: Engine; cubes: () => CubeName[] }> {
	const base = await getNodeEngine();
	const read = new Set<CubeName>();
	const engine: Engine = {
		...base,
		cube(name) {
			read.add(name);
			return base.cube(name);
		}
	};
	return { engine, cubes: () => [...read].sort() };
}
