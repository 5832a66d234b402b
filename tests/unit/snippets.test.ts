/**
 * The reuse snippets (src/lib/portal/snippets.ts) fetch exactly the portal's filtered rows: the
 * snippet's literal SQL and the download's parameter-bound SQL (filteredQuery) are run by an
 * independent DuckDB over the released files and must return the same rows; the DuckDB CLI snippet
 * itself (its URL pointed at the local files, httpfs left out: tests run offline) runs as written.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import path from 'node:path';
import { selectionSql, snippets } from '../../src/lib/portal/snippets';
import { filteredQuery } from '../../src/lib/portal/tables';
import { parseState } from '../../src/lib/state/view-state';

/** Every case's values are real codes: a dropped value would make the comparison trivial. */
const parseViewState = (p: URLSearchParams) => {
	const { state, notices } = parseState(p);
	expect(notices).toEqual([]);
	return state;
};
import { DATA } from './helpers/release';

let conn: DuckDBConnection;
beforeAll(async () => {
	conn = await (await DuckDBInstance.create(':memory:')).connect();
	for (const t of ['allegations', 'findings', 'visits', 'recommendations', 'recommendation_events', 'facilities', 'regions', 'region_year'])
		await conn.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${path.join(DATA, t + '.parquet')}')`);
}, 60_000);

const rows = async (sql: string, params: unknown[] = []) => {
	const r = await conn.runAndReadAll(sql, params as never);
	return r.getRowObjectsJson().map((x) => JSON.stringify(x)).sort();
};

const CASES: [string, string][] = [
	['allegations', ''],
	['allegations', 'region=KZ-71,KZ-75&from=2019&to=2022&v=1'],
	['allegations', 'atype=torture,excessive_force&perp=police&from=2020&v=1'],
	['visits', 'region=KZ-75&ftype=sizo&v=1'],
	['findings', 'auth=mia_police&region=KZ-55&from=2018&v=1'],
	['recommendations', 'status=implemented&prio=high&from=2020&v=1'],
	['recommendation_events', 'to=2019&status=rejected&v=1'],
	['facilities', 'region=KZ-19&ftype=sizo,penal_colony&v=1']
];

describe('reuse snippets', () => {
	for (const [table, query] of CASES) {
		it(`${table} ?${query}: the snippet's SQL returns the download's rows`, async () => {
			const state = parseViewState(new URLSearchParams(query));
			const download = filteredQuery(table, state);
			const expected = await rows(download.sql, download.params);
			const got = await rows(selectionSql(table, state).sql);
			expect(got).toEqual(expected);
			if (query) expect(got.length).toBeGreaterThan(0);
		});
	}

	it('the DuckDB CLI snippet runs as written, against the files it names', async () => {
		const state = parseViewState(new URLSearchParams('region=KZ-55&auth=mia_police&from=2018&v=1'));
		const s = snippets({ table: 'findings', state, dataUrl: 'https://example.org/data/', site: 'Detention Monitoring Kazakhstan', release: 'Release 1.0.0.', selection: 'Regions: Pavlodar' });
		// The authority filter on findings reads visits: the snippet defines both views.
		expect(s.duckdb).toContain("CREATE VIEW visits AS SELECT * FROM read_parquet('https://example.org/data/visits.parquet');");
		for (const lang of ['python', 'r'] as const) expect(s[lang]).toContain("read_parquet('https://example.org/data/findings.parquet')");
		const local = s.duckdb
			.split('\n')
			.filter((l) => !/^(INSTALL|LOAD) httpfs;$/.test(l))
			.join('\n')
			.replaceAll('https://example.org/data/', DATA + '/')
			.replace(/CREATE VIEW (\w+)/g, 'CREATE OR REPLACE TEMP VIEW $1');
		const statements = local.split(/;\n/);
		for (const st of statements.slice(0, -1)) await conn.run(st);
		const got = await rows(statements.at(-1)!.replace(/;$/, ''));
		const download = filteredQuery('findings', state);
		expect(got).toEqual(await rows(download.sql, download.params));
		expect(got.length).toBeGreaterThan(0);
	});

	it('a quote in a value is doubled, never closes the string', () => {
		const state = parseViewState(new URLSearchParams(''));
		state.region = ["KZ-75' OR 1=1 --"];
		expect(selectionSql('allegations', state).sql).toContain("region_code = 'KZ-75'' OR 1=1 --'");
		expect(() => selectionSql('allegations; DROP', state)).toThrow(/Not a table name/);
	});
});

describe('worked examples in the SQL console', () => {
	it('cover every released table', async () => {
		const { EXAMPLES } = await import('../../src/lib/portal/examples');
		for (const t of ['allegations', 'findings', 'visits', 'recommendations', 'recommendation_events', 'facilities', 'regions', 'region_year'])
			expect(EXAMPLES.some((e) => new RegExp(`\\b(FROM|JOIN)\\s+${t}\\b`, 'i').test(e.sql)), t).toBe(true);
	});
});
