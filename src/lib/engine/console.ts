/**
 * A second, separate DuckDB-WASM instance for the data portal and the SQL console, written beside
 * browser.ts (not into it) so the dashboard's engine stays untouched. Differences from the page
 * engine:
 * - every released table is materialised into memory, so the engine can then be locked down
 *   (LOCKDOWN below): `SET enable_external_access=false` (no file, URL, ATTACH, COPY TO, extension
 *   loading) and `SET lock_configuration=true` (no SET can undo it), then read back;
 * - a locked-down session runs what the console sends through the SQL guard (portal/sql-guard.ts)
 *   again, compares the guard's tokens with the engine's own tokeniser, and has the engine
 *   prepare the text: DuckDB prepares exactly one statement and refuses a text it would split into
 *   more, so a second statement hidden from the guard is refused, never run;
 * - answers are Arrow tables (the console shows column types, exports re-use them);
 * - it can write Parquet (COPY ... TO 'x.parquet' then copyFileToBuffer) when not locked down;
 * - a long query is cancelled by terminating the worker (conn.query cannot be cancelled in 1.28);
 *   the caller then starts a new session.
 * Browser only: import with a dynamic import().
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import { startDuckDB } from './browser';
import { parquetResources, type DataPackage } from './catalog';
import type { SqlParam } from './types';
import type { ArrowRow } from './rows';
import { agreesWithEngine, checkSql, SqlRefusedError } from '$lib/portal/sql-guard';

/**
 * The part of an Arrow table the portal uses (apache-arrow ships no typings this project's TS
 * setup resolves; browser.ts takes the same approach in rows.ts).
 */
export interface Table {
	readonly numRows: number;
	schema: { fields: { name: string; type: { typeId: number; unit?: number } }[] };
	slice(begin?: number, end?: number): Table;
	toArray(): ArrowRow[];
}

export interface DuckSession {
	readonly tables: readonly string[];
	/** Released tables whose file could not be loaded (missing, corrupt): the others still work. */
	readonly unavailable: readonly { table: string; message: string }[];
	/** Run one statement; parameters are bound, never spliced. */
	run(sql: string, params?: readonly SqlParam[]): Promise<Table>;
	/** The answer of a fixed query as a Parquet file (not available on a locked-down session). */
	parquet(sql: string, params?: readonly SqlParam[]): Promise<Uint8Array>;
	/** An Arrow table (e.g. a console result) written as Parquet (not on a locked-down session). */
	parquetFromArrow(table: Table): Promise<Uint8Array>;
	/** Stops at once, even in the middle of a query: the worker is terminated. */
	terminate(): Promise<void>;
}

export interface SessionOptions {
	dataUrl: string;
	dataPackage?: DataPackage;
	/** Disable external access and lock the configuration after loading (the SQL console). */
	lockdown?: boolean;
	/**
	 * Starts the engine: the browser's (browser.ts) unless given. Tests pass the same WASM build
	 * running in Node, so they run this file's code, lockdown included.
	 */
	start?: () => Promise<{ db: duckdb.AsyncDuckDB; conn: duckdb.AsyncDuckDBConnection }>;
	/** Whether a released file is there (default: a HEAD request); tests in Node look at the disk. */
	exists?: (url: string) => Promise<{ ok: boolean; status: number }>;
}

/**
 * The console engine's lockdown, in order: the last setting forbids changing any setting again.
 * Applied after the tables are loaded (and their files unregistered), then read back.
 */
export const LOCKDOWN = ['SET enable_external_access=false', 'SET lock_configuration=true'];

async function lockDown(conn: duckdb.AsyncDuckDBConnection): Promise<void> {
	for (const sql of LOCKDOWN) await conn.query(sql);
	const check = (await conn.query(
		"SELECT current_setting('enable_external_access')::VARCHAR AS external, current_setting('lock_configuration')::VARCHAR AS locked"
	)) as unknown as Table;
	const row = check.toArray()[0]?.toJSON();
	// Fail closed: a console without its lockdown does not start.
	if (row?.external !== 'false' || row?.locked !== 'true') throw new Error('The console engine could not be locked down');
}


let exportCounter = 0;

export async function createDuckSession(options: SessionOptions): Promise<DuckSession> {
	const dataUrl = options.dataUrl.endsWith('/') ? options.dataUrl : options.dataUrl + '/';
	const pkg: DataPackage =
		options.dataPackage ??
		(await fetch(dataUrl + 'datapackage.json').then((r) => {
			if (!r.ok) throw new Error(`Could not load datapackage.json (${r.status})`);
			return r.json();
		}));
	const { db, conn } = await (options.start ?? startDuckDB)();

	const all = parquetResources(pkg);
	// One missing or corrupt file takes out its own table only: the console works over the others.
	const unavailable: { table: string; message: string }[] = [];
	const resources = [];
	for (const r of all) {
		try {
			// duckdb-wasm 1.28 can wait for ever on a file the server does not have: ask first.
			const head = await (options.exists ?? ((url: string) => fetch(url, { method: 'HEAD' })))(dataUrl + r.path);
			if (!head.ok) throw new Error(`Could not load ${r.path} (${head.status})`);
			await db.registerFileURL(r.path, dataUrl + r.path, duckdb.DuckDBDataProtocol.HTTP, false);
			// Names and paths were checked by parquetResources; always a TABLE so a lockdown cannot break it.
			await conn.query(`CREATE OR REPLACE TABLE ${r.name} AS SELECT * FROM read_parquet('${r.path}')`);
			resources.push(r);
		} catch (err) {
			await db.dropFile(r.path).catch(() => {});
			const text = err instanceof Error ? err.message.split('\n')[0] : String(err);
			unavailable.push({ table: r.name, message: text.includes(r.path) ? text : `Could not read ${r.path}: ${text}` });
		}
	}
	if (options.lockdown) {
		for (const r of all) await db.dropFile(r.path).catch(() => {});
		await lockDown(conn);
	}

	const statements = new Map<string, Promise<duckdb.AsyncPreparedStatement>>();
	const prepare = (sql: string) => {
		let s = statements.get(sql);
		if (!s) {
			s = conn.prepare(sql);
			statements.set(sql, s);
			s.catch(() => statements.delete(sql));
		}
		return s;
	};
	const runFixed = async (sql: string, params: readonly SqlParam[] = []): Promise<Table> =>
		(params.length ? (await prepare(sql)).query(...params) : conn.query(sql)) as unknown as Promise<Table>;

	/** A statement from the console: guarded, checked against the engine's tokens, exactly one. */
	async function runOne(sql: string, params: readonly SqlParam[] = []): Promise<Table> {
		const guard = checkSql(sql);
		if (!guard.ok) throw new SqlRefusedError(guard);
		const agreed = agreesWithEngine(sql, await db.tokenize(sql));
		if (!agreed.ok) throw new SqlRefusedError(agreed);
		// Prepared, never queried as text: conn.query runs every statement of a text, prepare
		// accepts one ("Cannot prepare multiple statements at once!").
		const stmt = await conn.prepare(sql);
		try {
			return (await stmt.query(...params)) as unknown as Table;
		} finally {
			await stmt.close().catch(() => {});
		}
	}
	const guarded = options.lockdown ? runOne : runFixed;
	const run = (sql: string, params?: readonly SqlParam[]) => {
		const missing = unavailable.find((u) => new RegExp(`\\b${u.table}\\b`, 'i').test(sql));
		if (missing) return Promise.reject(new Error(`${missing.table}: ${missing.message}`));
		return guarded(sql, params);
	};

	async function copyOut(table: string): Promise<Uint8Array> {
		const file = `${table}.parquet`;
		await conn.query(`COPY ${table} TO '${file}' (FORMAT PARQUET, COMPRESSION ZSTD)`);
		const buf = await db.copyFileToBuffer(file);
		await db.dropFile(file).catch(() => {});
		await conn.query(`DROP TABLE IF EXISTS ${table}`);
		return buf;
	}

	return {
		tables: resources.map((r) => r.name),
		unavailable,
		run,
		async parquet(sql, params = []) {
			if (options.lockdown) throw new Error('Parquet export is not available on a locked-down engine');
			// COPY (SELECT ... ?) cannot bind parameters in 0.9.1: bind into a temporary table first.
			const name = `portal_export_${++exportCounter}`;
			const stmt = await conn.prepare(`CREATE TEMP TABLE ${name} AS ${sql}`);
			try {
				await stmt.query(...params);
			} finally {
				await stmt.close().catch(() => {});
			}
			return copyOut(name);
		},
		async parquetFromArrow(table) {
			if (options.lockdown) throw new Error('Parquet export is not available on a locked-down engine');
			const name = `portal_export_${++exportCounter}`;
			await conn.insertArrowTable(table as unknown as Parameters<typeof conn.insertArrowTable>[0], { name, create: true });
			return copyOut(name);
		},
		async terminate() {
			// AsyncDuckDB.terminate() ends the worker at once, even in the middle of a query.
			await db.terminate().catch(() => {});
		}
	};
}
