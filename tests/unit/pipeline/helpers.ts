/**
 * Shared helpers of the pipeline tests: temporary folders, running the generator and the pipeline
 * in-process, reading released Parquet with the browser's engine (duckdb-wasm 1.28 = DuckDB 0.9.1,
 * Node blocking build), and snapshots of folders to prove a failed run left them untouched.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest, type IngestOptions, type IngestResult } from '../../../scripts/pipeline/index.ts';
import { splitLine } from '../../../scripts/generate/earlier-cut.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const GOOD_MINI = join(ROOT, 'tests', 'fixtures', 'good-mini');

const tempDirs: string[] = [];
export function tempDir(prefix = 'pipeline-test-'): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	tempDirs.push(dir);
	return dir;
}
export function cleanupTempDirs(): void {
	for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function writeKey(dir: string, key: string): string {
	const path = join(dir, 'test.key');
	writeFileSync(path, key + '\n');
	return path;
}

/** Run the pipeline in this process, silently. */
export async function runIngest(opts: Omit<IngestOptions, 'log'>): Promise<IngestResult> {
	return ingest({ ...opts, log: () => {} });
}

/** Copy the small good input set to a fresh folder that a test may then break. */
export function copyGoodMini(): string {
	const dir = tempDir('bad-input-');
	cpSync(GOOD_MINI, dir, { recursive: true });
	return dir;
}

/** Every file under a folder with its bytes' hash: equal snapshots = byte-for-byte untouched. */
export function snapshot(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (d: string, prefix: string) => {
		for (const name of readdirSync(d).sort()) {
			const p = join(d, name);
			if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
			else out[prefix + name] = createHash('sha256').update(readFileSync(p)).digest('hex');
		}
	};
	walk(dir, '');
	return out;
}

/** An output folder holding an earlier release (any content), to check a failed run leaves it be. */
export function previousRelease(): string {
	const parent = tempDir('out-parent-');
	const out = join(parent, 'data');
	mkdirSync(out);
	writeFileSync(join(out, 'datapackage.json'), '{"name":"previous"}\n');
	writeFileSync(join(out, 'visits.parquet'), Buffer.from([1, 2, 3, 4]));
	return out;
}

// ---- duckdb-wasm (the browser's engine) in Node ----

interface WasmConn {
	query(sql: string): { toArray(): { toJSON(): Record<string, unknown> }[] };
}
let wasmConn: WasmConn | null = null;

export async function wasm(): Promise<WasmConn> {
	if (wasmConn) return wasmConn;
	const require = createRequire(import.meta.url);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
	const dist = dirname(require.resolve('@duckdb/duckdb-wasm'));
	const bundles = {
		mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
		eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') }
	};
	const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
	await db.instantiate(() => {});
	wasmConn = db.connect() as WasmConn;
	wasmConn.query('SET autoinstall_known_extensions=false');
	wasmConn.query('SET autoload_known_extensions=false');
	return wasmConn;
}

/** Rows of a query on the browser's engine, BigInt turned into numbers, dates into ISO strings. */
export async function wasmRows(sql: string): Promise<Record<string, unknown>[]> {
	const conn = await wasm();
	return conn.query(sql).toArray().map((r) => {
		const o = r.toJSON();
		for (const [k, v] of Object.entries(o)) {
			if (typeof v === 'bigint') o[k] = Number(v);
			else if (v instanceof Date) o[k] = v.toISOString().slice(0, 10);
		}
		return o;
	});
}

export const parquet = (dir: string, table: string) => `read_parquet('${join(dir, table + '.parquet').replace(/'/g, "''")}')`;

export const RELEASED = ['regions', 'region_year', 'facilities', 'visits', 'findings', 'allegations', 'recommendations', 'recommendation_events'];

/** Split one CSV line (quotes with doubled quotes; the generator writes no line breaks inside fields). */
export const splitCsvLine = (line: string): string[] => splitLine(line.replace(/\r$/, ''));

