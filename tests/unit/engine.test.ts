import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/lib/server/engine-node';
import type { Engine } from '../../src/lib/engine/types';
import { writeSmallDataset, type SmallAllegation } from './helpers/small-dataset';

let engine: Engine;
let rows: SmallAllegation[];

beforeAll(async () => {
	const ds = await writeSmallDataset();
	rows = ds.rows;
	engine = await createNodeEngine({ dataDir: ds.dir });
});
afterAll(() => engine?.close());

describe('node engine (duckdb-wasm 1.28, the browser dialect)', () => {
	it('registers every Parquet resource of datapackage.json as a table', () => {
		expect([...engine.tables].sort()).toEqual(['allegations', 'region_year', 'regions']);
	});

	it('reads Parquet written by DuckDB 1.5 with the right row count', async () => {
		const [r] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM allegations');
		expect(r.n).toBe(rows.length);
	});

	it('binds parameters instead of splicing them into SQL', async () => {
		const hostile = "KZ-75' OR 1=1 --";
		const got = await engine.query<{ n: number }>('SELECT count(*) AS n FROM allegations WHERE region_code = $1', [hostile]);
		expect(got[0].n).toBe(0);
		const ok = await engine.query<{ n: number }>('SELECT count(*) AS n FROM allegations WHERE region_code = $1', ['KZ-75']);
		expect(ok[0].n).toBe(rows.filter((r) => r.region_code === 'KZ-75').length);
	});

	it('returns BIGINT as number and DATE as yyyy-mm-dd', async () => {
		const [r] = await engine.query<{ b: number; d: string }>("SELECT 9007199254740::BIGINT AS b, DATE '2022-01-01' AS d");
		expect(r).toEqual({ b: 9007199254740, d: '2022-01-01' });
	});

	it('never autoloads extensions from the network', async () => {
		const got = await engine.query<{ value: string }>("SELECT current_setting('autoload_known_extensions')::VARCHAR AS value");
		expect(got[0].value).toBe('false');
	});

	it('reports SQL errors with DuckDB\'s message', async () => {
		await expect(engine.query('SELECT nope FROM allegations')).rejects.toThrow(/nope/);
	});
});
