import { describe, expect, it, beforeAll } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { getNodeEngine } from '../../src/lib/server/engine-node';
import { filteredQuery, TABLE_FILTERS } from '../../src/lib/portal/tables';
import { defaultState, parseState } from '../../src/lib/state/view-state';
import { rowsToCsv } from '../../src/lib/portal/files';
import { filterInWords } from '../../src/lib/portal/metadata';
import type { Engine } from '../../src/lib/engine/types';

let engine: Engine;
let independent: (sql: string) => Promise<number>;

beforeAll(async () => {
	engine = await getNodeEngine('static/data');
	const conn = await (await DuckDBInstance.create(':memory:')).connect();
	independent = async (sql) => {
		const text = sql.replace(/\bFROM (\w+)/g, (_, t) => `FROM read_parquet('${path.resolve('static/data', t + '.parquet')}')`);
		const r = await conn.runAndReadAll(text);
		return Number((r.getRowObjectsJS()[0] as { n: bigint }).n);
	};
});

const CASES: [string, string, string][] = [
	['allegations', 'region=KZ-75,KZ-71&from=2019&to=2022', "region_code IN ('KZ-75','KZ-71') AND report_year BETWEEN 2019 AND 2022"],
	['allegations', 'atype=torture&perp=police', "allegation_type = 'torture' AND perpetrator = 'police'"],
	['visits', 'region=KZ-75&ftype=sizo&from=2020', "region_code = 'KZ-75' AND facility_type = 'sizo' AND year(visit_month) >= 2020"],
	['findings', 'ind=food&to=2018', "indicator = 'food' AND year(visit_month) <= 2018"],
	['recommendations', 'status=implemented&prio=high&addr=health', "status = 'implemented' AND priority = 'high' AND addressee = 'health'"],
	['recommendation_events', 'status=rejected&from=2021', "status = 'rejected' AND year(event_month) >= 2021"],
	['facilities', 'auth=knb', "authority = 'knb'"],
	['region_year', 'region=KZ-10&from=2015&to=2016', "region_code = 'KZ-10' AND year BETWEEN 2015 AND 2016"],
	['regions', 'region=KZ-10,KZ-11', "region_code IN ('KZ-10','KZ-11')"]
];

describe('the view state applied to every released table', () => {
	it('knows every released table', () => {
		expect(Object.keys(TABLE_FILTERS).sort()).toEqual([...engine.tables].sort());
	});
	for (const [table, query, where] of CASES) {
		it(`${table} ?${query} counts the same as an independent query`, async () => {
			const q = filteredQuery(table, parseState(new URLSearchParams(query)).state);
			const [got] = await engine.query<{ n: number }>(q.countSql, q.params);
			expect(got.n).toBe(await independent(`SELECT count(*) AS n FROM ${table} WHERE ${where}`));
			expect(got.n).toBeGreaterThan(0);
		});
	}
	it('says which filters a table cannot apply', () => {
		const q = filteredQuery('regions', parseState(new URLSearchParams('atype=torture&from=2020')).state);
		expect(q.ignored.sort()).toEqual(['atype', 'year']);
	});
	it('refuses a table name that is not an identifier', () => {
		expect(() => filteredQuery('x; DROP TABLE y', defaultState())).toThrow();
	});
});

describe('download files', () => {
	it('CSV has a BOM, CRLF, quotes and neutralised formulas; Cyrillic stays intact', () => {
		const csv = rowsToCsv(['a', 'b'], [{ a: 'Алматы, қала', b: 1 }, { a: '=cmd()', b: null }]);
		expect(csv).toBe('\ufeffa,b\r\n"Алматы, қала",1\r\n\'=cmd(),\r\n');
	});
	it('the filter in words', () => {
		const labels = { years: 'Years', all: 'all', filter: { region: 'Regions', ftype: 'Types' } as never };
		expect(filterInWords(parseState(new URLSearchParams('from=2019&region=KZ-75')).state, 'en', labels)).toBe('Years: 2019–…; Regions: Almaty');
		expect(filterInWords(defaultState(), 'en', labels)).toBe('all');
	});
});
