/**
 * A small, fully known released dataset for engine and query tests: rows are made here in
 * TypeScript (so tests can compute expectations independently) and written as Parquet by
 * DuckDB 1.5 (@duckdb/node-api), as the pipeline writes them.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildRollups } from '../../../scripts/rollups/build';

export const REGION_CODES = [
	'KZ-10', 'KZ-11', 'KZ-15', 'KZ-19', 'KZ-23', 'KZ-27', 'KZ-31', 'KZ-33', 'KZ-35', 'KZ-39',
	'KZ-43', 'KZ-47', 'KZ-55', 'KZ-59', 'KZ-61', 'KZ-62', 'KZ-63', 'KZ-71', 'KZ-75', 'KZ-79'
];

export interface SmallAllegation {
	allegation_id: string;
	report_year: number;
	report_quarter: number | null;
	region_code: string | null;
	facility_type: string;
	allegation_type: string;
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function makeAllegations(n = 600, seed = 7): SmallAllegation[] {
	const r = rng(seed);
	const types = ['torture', 'cidt', 'excessive_force', 'threats_reprisals'];
	const ftypes = ['penal_colony', 'sizo', 'ivs'];
	return Array.from({ length: n }, (_, i) => ({
		allegation_id: `A-${i}`,
		report_year: 2014 + Math.floor(r() * 12),
		report_quarter: r() < 0.1 ? null : 1 + Math.floor(r() * 4),
		// A few rows with the region suppressed (NULL), as the anonymiser may leave them.
		region_code: r() < 0.03 ? null : REGION_CODES[Math.floor(r() * REGION_CODES.length)],
		facility_type: ftypes[Math.floor(r() * ftypes.length)],
		allegation_type: types[Math.floor(r() * types.length)]
	}));
}

const sqlStr = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);

export async function writeSmallDataset(rows = makeAllegations()): Promise<{ dir: string; rows: SmallAllegation[] }> {
	const dir = mkdtempSync(path.join(tmpdir(), 'kznpm-small-'));
	const inst = await DuckDBInstance.create(':memory:');
	const conn = await inst.connect();
	await conn.run(`CREATE TABLE allegations (allegation_id VARCHAR, report_year INTEGER, report_quarter INTEGER,
		region_code VARCHAR, facility_type VARCHAR, allegation_type VARCHAR)`);
	const values = rows
		.map((a) => `(${[a.allegation_id, a.report_year, a.report_quarter, a.region_code, a.facility_type, a.allegation_type].map(sqlStr).join(',')})`)
		.join(',');
	await conn.run(`INSERT INTO allegations VALUES ${values}`);
	await conn.run(`CREATE TABLE region_year AS SELECT r AS region_code, y::INTEGER AS year,
		(100000 + y)::BIGINT AS residents, (1000 + y)::INTEGER AS detainees
		FROM unnest([${REGION_CODES.map(sqlStr).join(',')}]) t(r), range(2014, 2026) s(y)`);
	await conn.run(`CREATE TABLE regions AS SELECT r AS region_code, 'Name ' || r AS name_en, 'Имя ' || r AS name_ru,
		'Атауы ' || r AS name_kk, 'region' AS kind, NULL::VARCHAR AS predecessor FROM unnest([${REGION_CODES.map(sqlStr).join(',')}]) t(r)`);
	const resources = [];
	// Columns these tests do not vary, present because the release always has them.
	await conn.run(`ALTER TABLE allegations ADD COLUMN authority VARCHAR DEFAULT 'mia_penal'`);
	await conn.run(`ALTER TABLE allegations ADD COLUMN perpetrator VARCHAR DEFAULT 'penal_staff'`);
	await conn.run(`ALTER TABLE allegations ADD COLUMN channel VARCHAR DEFAULT 'npm_visit'`);
	await conn.run(`ALTER TABLE allegations ADD COLUMN outcome VARCHAR DEFAULT 'registered'`);
	for (const name of ['allegations', 'region_year', 'regions']) {
		const file = path.join(dir, `${name}.parquet`);
		await conn.run(`COPY ${name} TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
		resources.push({ name, path: `${name}.parquet`, bytes: statSync(file).size });
	}
	conn.closeSync();
	writeFileSync(path.join(dir, 'datapackage.json'), JSON.stringify({ name: 'small', resources }, null, 2));
	// The dashboard's views read rollups derived from the release, as the pipeline makes them.
	await buildRollups(dir);
	return { dir, rows };
}
