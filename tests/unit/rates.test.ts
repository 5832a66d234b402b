/**
 * Multi-year rates (the region pages' "per 100,000 residents" and "per 1,000 detainees", the
 * overview map's allegations per 100,000) divide the allegations of some years by the residents
 * or detainees of the same years. Checked against SQL written here, run by @duckdb/node-api
 * (DuckDB 1.5) over the released Parquet in static/data; the app answers from its rollups on
 * DuckDB-WASM.
 */
import { describe, expect, it } from 'vitest';
import { parquet, releaseConnections, sqlList } from './helpers/release';
import { loadRegionProfile } from '../../src/lib/queries/region-profile';
import { loadMapValues } from '../../src/lib/queries/overview';
import { alignedRate, rateYears } from '../../src/lib/queries/rates';
import { defaultState, type ViewState } from '../../src/lib/state/view-state';

const release = releaseConnections();

const one = async (sql: string) => (await release.conn.runAndReadAll(sql)).getRowObjectsJS()[0] as Record<string, number | null>;

/**
 * The independent answer: the years are those shown that lie between the first and last
 * allegation year and have a figure for every region counted; both sums run over exactly them.
 */
async function expectedRate(state: ViewState, regions: string[] | null, column: 'residents' | 'detainees'): Promise<number | null> {
	const per = column === 'residents' ? 100000 : 1000;
	const inRegions = regions ? `region_code IN (${sqlList(regions)})` : 'TRUE';
	const filters = [
		inRegions,
		state.ftype.length ? `facility_type IN (${sqlList(state.ftype)})` : 'TRUE',
		state.auth.length ? `authority IN (${sqlList(state.auth)})` : 'TRUE',
		state.atype.length ? `allegation_type IN (${sqlList(state.atype)})` : 'TRUE'
	].join(' AND ');
	const sql = `
		WITH span AS (SELECT min(report_year) AS a, max(report_year) AS b FROM ${parquet('allegations')}),
		shown AS (
			SELECT y.year FROM range(${state.from ?? 1900}, ${(state.to ?? 2100) + 1}) y(year), span
			WHERE y.year BETWEEN span.a AND span.b),
		pop AS (
			SELECT year, sum(${column}) AS p, count(${column}) AS k FROM ${parquet('region_year')}
			WHERE ${inRegions} GROUP BY year),
		years AS (
			SELECT shown.year FROM shown JOIN pop USING (year)
			WHERE pop.p > 0 AND (${regions ? regions.length : 0} = 0 OR pop.k >= ${regions ? regions.length : 0}))
		SELECT
			(SELECT count(*) FROM ${parquet('allegations')} WHERE report_year IN (SELECT year FROM years) AND ${filters})::DOUBLE AS n,
			(SELECT sum(p) FROM pop WHERE year IN (SELECT year FROM years))::DOUBLE AS d`;
	const r = await one(sql);
	return r.d ? ((r.n as number) * per) / r.d : null;
}

const st = (patch: Partial<ViewState>): ViewState => ({ ...defaultState(), ...patch });

const STATES: [string, ViewState][] = [
	['default', st({})],
	['2018-2020', st({ from: 2018, to: 2020 })],
	['years before the allegations begin (2008-2016)', st({ from: 2008, to: 2016 })],
	['from 2021, pre-trial detention, police', st({ from: 2021, ftype: ['sizo', 'ivs'], auth: ['mia_police'] })],
	['torture only', st({ atype: ['torture'] })]
];

describe('the default view divides allegations and residents of the same years', () => {
	it('national rate per 100,000 residents a year is 4.40 (2014-2025 over 2014-2025), not 3.38 (over 2010-2025)', async () => {
		const { national } = await loadRegionProfile(release.engine, defaultState(), 'KZ-75');
		expect(national.allegationsPer100k).toBeCloseTo(4.3989, 3);
		const misaligned = await one(
			`SELECT (SELECT count(*) FROM ${parquet('allegations')}) * 1e5 / (SELECT sum(residents) FROM ${parquet('region_year')}) AS r`
		);
		expect(misaligned.r).toBeCloseTo(3.377, 2);
	});
});

describe('rates equal an independent computation over the released Parquet', () => {
	for (const [name, state] of STATES) {
		it(`${name}: region page (KZ-75 and national), per residents and per detainees`, async () => {
			const got = await loadRegionProfile(release.engine, state, 'KZ-75');
			const want = {
				r100k: await expectedRate(state, ['KZ-75'], 'residents'),
				r1k: await expectedRate(state, ['KZ-75'], 'detainees'),
				n100k: await expectedRate(state, null, 'residents'),
				n1k: await expectedRate(state, null, 'detainees')
			};
			for (const [g, w] of [
				[got.region.allegationsPer100k, want.r100k],
				[got.region.allegationsPer1kDetainees, want.r1k],
				[got.national.allegationsPer100k, want.n100k],
				[got.national.allegationsPer1kDetainees, want.n1k]
			] as const) {
				expect(w).not.toBeNull();
				expect(g).toBeCloseTo(w!, 9);
			}
		});

		it(`${name}: overview map, every region per 100,000 residents`, async () => {
			const got = await loadMapValues(release.engine, state, 'allegations');
			expect(got.length).toBe(20);
			for (const v of got) {
				const want = await expectedRate(state, [v.region_code], 'residents');
				expect(v.value, v.region_code).toBeCloseTo(want!, 9);
			}
		});
	}

	it('the map ignores the region filter and still aligns the years', async () => {
		const a = await loadMapValues(release.engine, st({ from: 2019, region: ['KZ-75'] }), 'allegations');
		const b = await loadMapValues(release.engine, st({ from: 2019 }), 'allegations');
		expect(a).toEqual(b);
	});
});

describe('alignedRate and rateYears', () => {
	it('clip the years shown to the allegations span', () => {
		expect(rateYears(st({ from: 2008, to: 2016 }), { fromYear: 2014, toYear: 2025 })).toEqual([2014, 2015, 2016]);
		expect(rateYears(st({}), { fromYear: 2014, toYear: 2016 })).toEqual([2014, 2015, 2016]);
		expect(rateYears(st({ from: 2030 }), { fromYear: 2014, toYear: 2025 })).toEqual([]);
	});
	it('leave a year without a denominator out of both sums', () => {
		const counts = new Map([
			[2014, 10],
			[2015, 30]
		]);
		const r = alignedRate(counts, new Map([[2014, 1000], [2015, null]]), [2014, 2015], 100);
		expect(r).toEqual({ value: 1, count: 10, denominator: 1000, years: [2014] });
		expect(alignedRate(counts, new Map(), [2014, 2015], 100).value).toBeNull();
	});
});
