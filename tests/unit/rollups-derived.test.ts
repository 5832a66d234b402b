/**
 * Rollups re-aggregated from a finer one (scripts/rollups/build.ts, containerOf) hold exactly what a
 * GROUP BY over the released microdata gives: each such rollup, decoded with its manifest's
 * dictionaries, is compared with its own definition (cubeSql) run by an independent DuckDB on the
 * release's Parquet files.
 */
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { containerOf } from '../../scripts/rollups/build';
import { CUBES, CUBE_NAMES, cubeSql, type RollupManifest } from '../../src/lib/cubes/definitions';
import { DATA } from './helpers/release';

describe('rollups derived from a finer rollup', () => {
	it('the narrow allegation rollups come from the full one, and the full one from the microdata', () => {
		const derived = CUBE_NAMES.filter((n) => containerOf(n) !== null);
		expect(derived.sort()).toEqual(['allegations_base', 'allegations_by_channel', 'allegations_by_outcome', 'allegations_by_perp', 'allegations_by_quarter', 'allegations_by_type']);
		for (const n of derived) expect(containerOf(n)).toBe('allegations');
		// Nothing whose measure is not a count is ever re-aggregated.
		for (const n of ['findings', 'finding_values', 'recommendations', 'visits', 'region_year'] as const) expect(containerOf(n)).toBeNull();
	});

	it('equal a GROUP BY over the released allegations, row for row', async () => {
		const manifest = JSON.parse(readFileSync(path.join(DATA, 'rollups', 'manifest.json'), 'utf8')) as RollupManifest;
		const conn = await (await DuckDBInstance.create(':memory:')).connect();
		await conn.run(`CREATE VIEW allegations AS SELECT * FROM read_parquet('${path.join(DATA, 'allegations.parquet')}')`);
		for (const name of CUBE_NAMES.filter((n) => containerOf(n) !== null)) {
			const entry = manifest.cubes[name]!;
			const dims = Object.keys(CUBES[name].dims);
			const key = (r: Record<string, unknown>) => JSON.stringify([...dims.map((d) => r[d] ?? null), Number(r.n)]);
			const expected = (await conn.runAndReadAll(cubeSql(CUBES[name]))).getRowObjectsJS().map((r) => key(r as Record<string, unknown>)).sort();
			const coded = (await conn.runAndReadAll(`SELECT * FROM read_parquet('${path.join(DATA, 'rollups', entry.file)}')`)).getRowObjectsJS();
			const got = coded
				.map((r) => Object.fromEntries([...dims.map((d) => [d, entry.dims[d][Number(r[d])]]), ['n', r.n]]))
				.map((r) => key(r as Record<string, unknown>))
				.sort();
			expect(got.length, name).toBeGreaterThan(100);
			expect(got, name).toEqual(expected);
		}
	}, 60_000);
});
