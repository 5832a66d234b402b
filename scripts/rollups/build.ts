/**
 * The rollup step: reads a release folder (datapackage.json + Parquet) and writes the dashboard's
 * pre-aggregated cubes to <release>/rollups/ with their dictionaries in rollups/manifest.json.
 * Derived only from the released files, so it can be re-run at any time and gives the same bytes
 * for the same release. Definitions: src/lib/cubes/definitions.ts.
 *
 * Files are written to a staging folder and renamed into place at the end: a failed run leaves
 * the previous rollups as they were.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import {
	CUBES,
	CUBE_NAMES,
	CUTOFF_SQL,
	MANIFEST_FILE,
	ROLLUP_DIR,
	cubeSql,
	type CubeDefinition,
	type CubeManifestEntry,
	type CubeName,
	type DimValue,
	type RollupManifest
} from '../../src/lib/cubes/definitions.ts';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));

/** sha256 of the release's datapackage.json: the rollups' identity of their source. */
export function releaseDigest(dataDir: string): string {
	return createHash('sha256').update(readFileSync(path.join(dataDir, 'datapackage.json'))).digest('hex');
}

/** True when <dataDir>/rollups/manifest.json was derived from this very release. */
export function rollupsUpToDate(dataDir: string): boolean {
	const file = path.join(dataDir, ROLLUP_DIR, MANIFEST_FILE);
	if (!existsSync(file) || !existsSync(path.join(dataDir, 'datapackage.json'))) return false;
	try {
		const manifest = JSON.parse(readFileSync(file, 'utf8')) as RollupManifest;
		return (
			manifest.source === releaseDigest(dataDir) &&
			Object.values(manifest.cubes).every((c) => c && c.arrow && existsSync(path.join(dataDir, ROLLUP_DIR, c.file)) && existsSync(path.join(dataDir, ROLLUP_DIR, c.arrow.file)))
		);
	} catch {
		return false;
	}
}

function codeType(size: number): string {
	return size <= 256 ? 'UTINYINT' : size <= 65536 ? 'USMALLINT' : 'UINTEGER';
}

/**
 * DuckDB's answer to `SELECT * FROM <rollup>.parquet`, kept as an Arrow IPC file: what the browser
 * slices. Reading it needs only apache-arrow, not the 3 MB engine, so a dashboard answers its first
 * filter change as soon as this small file has arrived. Codes stay 8/16-bit; a measure is a 32-bit
 * unsigned integer when every value is one (counts), else a double.
 *
 * The values are copied from DuckDB's result chunks straight into plain arrays (codes are unsigned
 * integers, measures DOUBLE: cubeSql), not through row or column objects: for the 1.5-million-row
 * allegations rollup that is 0.3 s instead of about 4 s on the Node thread.
 */
async function writeArrow(conn: DuckDBConnection, parquet: string, out: string, dims: string[], measures: string[]): Promise<number> {
	const result = await conn.run(`SELECT ${[...dims, ...measures].map((c) => `"${c}"`).join(', ')} FROM read_parquet(${lit(parquet)})`);
	const rows = Number(result.rowCount);
	const cols = [...dims, ...measures].map(() => new Float64Array(rows));
	let offset = 0;
	for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
		const n = chunk.rowCount;
		for (let c = 0; c < cols.length; c++) {
			const vector = chunk.getColumnVector(c);
			const col = cols[c];
			for (let i = 0; i < n; i++) {
				const v = vector.getItem(i);
				col[offset + i] = v === null ? 0 : Number(v);
			}
		}
		offset += n;
	}
	const arrays: Record<string, Uint8Array | Uint16Array | Uint32Array | Float64Array> = {};
	dims.forEach((d, c) => {
		const values = cols[c];
		let max = 0;
		for (const v of values) if (v > max) max = v;
		arrays[d] = max < 256 ? Uint8Array.from(values) : max < 65536 ? Uint16Array.from(values) : Uint32Array.from(values);
	});
	measures.forEach((m, j) => {
		const values = cols[dims.length + j];
		const counts = values.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32);
		arrays[m] = counts ? Uint32Array.from(values) : Float64Array.from(values);
	});
	const bytes = tableToIPC(tableFromArrays(arrays), 'file');
	writeFileSync(out, bytes);
	return bytes.byteLength;
}

export interface RollupResult {
	manifest: RollupManifest;
	seconds: number;
}

/**
 * The rollup `name` can be re-aggregated from: another over the same rows (same source and
 * condition) whose dimensions include all of its own with the same expressions, when every
 * measure of both is a count. The largest such container is taken (the full allegations rollup).
 */
export function containerOf(name: CubeName): CubeName | null {
	const def = CUBES[name];
	const counts = (d: CubeDefinition) => Object.values(d.measures).every((m) => m.replace(/\s+/g, '').toLowerCase() === 'count(*)');
	if (!counts(def)) return null;
	let best: CubeName | null = null;
	for (const other of CUBE_NAMES) {
		const o = CUBES[other];
		if (other === name || o.from !== def.from || (o.where ?? '') !== (def.where ?? '') || !counts(o)) continue;
		if (Object.keys(def.measures).some((m) => !(m in o.measures))) continue;
		if (!Object.entries(def.dims).every(([d, expr]) => o.dims[d] === expr)) continue;
		if (Object.keys(o.dims).length <= Object.keys(def.dims).length) continue;
		if (containerOf(other) !== null) continue;
		if (!best || Object.keys(o.dims).length > Object.keys(CUBES[best].dims).length) best = other;
	}
	return best;
}

export async function buildRollups(dataDir: string): Promise<RollupResult> {
	const started = Date.now();
	const dir = path.resolve(dataDir);
	const pkgFile = path.join(dir, 'datapackage.json');
	if (!existsSync(pkgFile)) throw new Error(`rollups: ${pkgFile} is missing (run the pipeline first)`);
	const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { resources?: { name: string; path: string }[] };
	const tables = new Map((pkg.resources ?? []).filter((r) => /\.parquet$/.test(r.path)).map((r) => [r.name, path.join(dir, r.path)]));

	const staging = path.join(dir, `.${ROLLUP_DIR}.staging-${process.pid}`);
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
	const conn = await instance.connect();
	const rows = async <T>(sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as T[];
	try {
		for (const [name, file] of tables) {
			if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`rollups: table name "${name}" in datapackage.json is not a plain name`);
			await conn.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet(${lit(file)})`);
		}
		const manifest: RollupManifest = { source: releaseDigest(dir), lastMonth: null, cubes: {} };
		if (tables.has('recommendations')) {
			const [r] = await rows<{ m: string | null }>(`SELECT strftime(${CUTOFF_SQL}, '%Y-%m-%d') AS m`);
			manifest.lastMonth = r?.m ?? null;
		}
		// Rollups that another one contains are re-aggregated from it (a count is the sum of the
		// finer counts), so allegations.parquet is read once, for the full rollup, not once per rollup.
		const order = [...CUBE_NAMES].sort((a, b) => (containerOf(a) ? 1 : 0) - (containerOf(b) ? 1 : 0));
		const kept = new Set(CUBE_NAMES.map(containerOf).filter((c): c is CubeName => c !== null));
		const entries = new Map<CubeName, CubeManifestEntry>();
		for (const name of order) {
			const def = CUBES[name];
			if (!def.reads.every((t) => tables.has(t))) continue;
			const from = containerOf(name);
			if (from && entries.has(from)) {
				const dims = Object.keys(def.dims).map((d) => `"${d}"`);
				const sums = Object.keys(def.measures).map((m) => `sum("${m}")::DOUBLE AS "${m}"`);
				await conn.run(`CREATE OR REPLACE TEMP TABLE g AS SELECT ${[...dims, ...sums].join(', ')} FROM "g_${from}" GROUP BY ${dims.map((_, i) => i + 1).join(', ')}`);
			} else await conn.run(`CREATE OR REPLACE TEMP TABLE g AS ${cubeSql(def)}`);
			if (kept.has(name)) await conn.run(`CREATE OR REPLACE TEMP TABLE "g_${name}" AS SELECT * FROM g`);
			const dims: Record<string, DimValue[]> = {};
			const coded: string[] = [];
			const joins: string[] = [];
			for (const [i, dim] of Object.keys(def.dims).entries()) {
				await conn.run(
					`CREATE OR REPLACE TEMP TABLE d${i} AS SELECT v, row_number() OVER (ORDER BY v) AS code FROM (SELECT DISTINCT "${dim}" AS v FROM g WHERE "${dim}" IS NOT NULL)`
				);
				const values = (await rows<{ v: DimValue | bigint }>(`SELECT v FROM d${i} ORDER BY code`)).map((r) => (typeof r.v === 'bigint' ? Number(r.v) : r.v));
				dims[dim] = [null, ...values];
				coded.push(`coalesce(d${i}.code, 0)::${codeType(dims[dim].length)} AS "${dim}"`);
				joins.push(`LEFT JOIN d${i} ON g."${dim}" = d${i}.v`);
			}
			const measures = Object.keys(def.measures);
			const file = `${name}.parquet`;
			const out = path.join(staging, file);
			await conn.run(
				`COPY (SELECT ${[...coded, ...measures.map((m) => `g."${m}"`)].join(', ')} FROM g ${joins.join(' ')}
				ORDER BY ${def.order.map((d) => `"${d}"`).join(', ')})
				TO ${lit(out)} (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION V1, ROW_GROUP_SIZE 122880)`
			);
			const [{ n }] = await rows<{ n: number | bigint }>(`SELECT count(*) AS n FROM g`);
			const arrowFile = `${name}.arrow`;
			const arrowBytes = await writeArrow(conn, out, path.join(staging, arrowFile), Object.keys(dims), measures);
			const entry: CubeManifestEntry = { file, rows: Number(n), bytes: statSync(out).size, arrow: { file: arrowFile, bytes: arrowBytes }, dims, measures };
			entries.set(name, entry);
		}
		for (const name of CUBE_NAMES) {
			const entry = entries.get(name);
			if (entry) manifest.cubes[name] = entry;
		}
		writeFileSync(path.join(staging, MANIFEST_FILE), json(manifest) + '\n');
		const target = path.join(dir, ROLLUP_DIR);
		const old = path.join(dir, `.${ROLLUP_DIR}.old-${process.pid}`);
		if (existsSync(target)) renameSync(target, old);
		renameSync(staging, target);
		rmSync(old, { recursive: true, force: true });
		return { manifest, seconds: (Date.now() - started) / 1000 };
	} finally {
		conn.closeSync();
		instance.closeSync();
		rmSync(staging, { recursive: true, force: true });
	}
}
