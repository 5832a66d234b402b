/**
 * The regions compared (/regions/ and each region page): every region's and the nation's figures
 * and yearly series, from the rollups on DuckDB-WASM, against SQL written here and run by
 * @duckdb/node-api over the released Parquet.
 */
import { describe, expect, it } from 'vitest';
import { parquet, releaseConnections, sqlList } from './helpers/release';
import { loadRegionsComparison, type RegionComparisonRow } from '../../src/lib/queries/region-compare';
import { REGION_CODES } from '../../src/lib/state/reference';
import { defaultState, type ViewState } from '../../src/lib/state/view-state';

const release = releaseConnections();

const rows = async (sql: string) => (await release.conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, number | string | null>[];

interface Expected {
	per100k: number | null;
	per100kByYear: Map<number, number | null>;
	allegations: number;
	allegationsByYear: Map<number, number | null>;
	visits: number;
	visitsByYear: Map<number, number | null>;
	standards: number | null;
	standardsByYear: Map<number, number | null>;
	implemented: number | null;
	implementedByYear: Map<number, number | null>;
}

/** The independent answer for one region (or the nation: null) under the filters used here (years, facility types). */
async function expected(state: ViewState, region: string | null): Promise<Expected> {
	const inRegion = region ? `region_code = '${region.replace(/'/g, "''")}'` : 'TRUE';
	const ftype = state.ftype.length ? `facility_type IN (${sqlList(state.ftype)})` : 'TRUE';
	const from = state.from ?? 1900;
	const to = state.to ?? 2100;
	// No year filter: records whose year was withheld count too (none of them is on a series).
	const years = (col: string) => (state.from === null && state.to === null ? 'TRUE' : `${col} BETWEEN ${from} AND ${to}`);
	// Rate years: shown, within the allegations' span, with residents known (every region has them here).
	const rate = await rows(`
		WITH span AS (SELECT min(report_year) AS a, max(report_year) AS b FROM ${parquet('allegations')}),
		pop AS (SELECT year, sum(residents) AS p FROM ${parquet('region_year')} WHERE ${inRegion} GROUP BY year),
		yrs AS (SELECT pop.year, pop.p FROM pop, span WHERE pop.year BETWEEN span.a AND span.b AND pop.year BETWEEN ${from} AND ${to} AND pop.p > 0),
		cnt AS (SELECT report_year::INTEGER AS year, count(*) AS n FROM ${parquet('allegations')} WHERE ${inRegion} AND ${ftype} GROUP BY 1)
		SELECT yrs.year, coalesce(cnt.n, 0)::DOUBLE AS n, yrs.p::DOUBLE AS p FROM yrs LEFT JOIN cnt USING (year) ORDER BY 1`);
	const n = rate.reduce((s, r) => s + (r.n as number), 0);
	const p = rate.reduce((s, r) => s + (r.p as number), 0);
	const byYear = async (sql: string) => new Map((await rows(sql)).map((r) => [r.year as number, r.v as number | null]));
	const count = async (table: string, yearCol: string) =>
		(await rows(`SELECT count(*)::DOUBLE AS v FROM ${parquet(table)} WHERE ${inRegion} AND ${ftype} AND ${years(yearCol)}`))[0].v as number;
	const share = (cond: string) => `CASE WHEN count(*) > 0 THEN avg(CASE WHEN ${cond} THEN 1.0 ELSE 0.0 END) END`;
	return {
		per100k: p ? (n * 1e5) / p : null,
		per100kByYear: new Map(rate.map((r) => [r.year as number, ((r.n as number) * 1e5) / (r.p as number)])),
		allegations: await count('allegations', 'report_year'),
		allegationsByYear: await byYear(`SELECT report_year::INTEGER AS year, count(*)::DOUBLE AS v FROM ${parquet('allegations')} WHERE ${inRegion} AND ${ftype} AND ${years('report_year')} GROUP BY 1`),
		visits: await count('visits', 'year(visit_month)'),
		visitsByYear: await byYear(`SELECT year(visit_month)::INTEGER AS year, count(*)::DOUBLE AS v FROM ${parquet('visits')} WHERE ${inRegion} AND ${ftype} AND ${years('year(visit_month)')} GROUP BY 1`),
		standards: (await rows(`SELECT ${share('meets_standard')} AS v FROM ${parquet('findings')} WHERE meets_standard IS NOT NULL AND ${inRegion} AND ${ftype} AND ${years('year(visit_month)')}`))[0]
			.v as number | null,
		standardsByYear: await byYear(
			`SELECT year(visit_month)::INTEGER AS year, ${share('meets_standard')} AS v FROM ${parquet('findings')} WHERE meets_standard IS NOT NULL AND ${inRegion} AND ${ftype} AND ${years('year(visit_month)')} GROUP BY 1`
		),
		implemented: (await rows(`SELECT ${share("status = 'implemented'")} AS v FROM ${parquet('recommendations')} WHERE ${inRegion} AND ${ftype} AND ${years('year(issued_month)')}`))[0]
			.v as number | null,
		implementedByYear: await byYear(
			`SELECT year(issued_month)::INTEGER AS year, ${share("status = 'implemented'")} AS v FROM ${parquet('recommendations')} WHERE ${inRegion} AND ${ftype} AND ${years('year(issued_month)')} GROUP BY 1`
		)
	};
}

function expectRow(got: RegionComparisonRow, want: Expected, years: number[], label: string) {
	const close = (g: number | null, w: number | null | undefined, what: string) => {
		if (w == null) expect(g, `${label} ${what}`).toBeNull();
		else expect(g, `${label} ${what}`).toBeCloseTo(w, 9);
	};
	close(got.per100k.value, want.per100k, 'per 100,000');
	expect(got.allegations.value, `${label} allegations`).toBe(want.allegations);
	expect(got.visits.value, `${label} visits`).toBe(want.visits);
	close(got.standards.value, want.standards, 'standards');
	close(got.implemented.value, want.implemented, 'implemented');
	years.forEach((y, i) => {
		close(got.per100k.series[i], want.per100kByYear.get(y) ?? null, `per 100,000 in ${y}`);
		expect(got.allegations.series[i], `${label} allegations in ${y}`).toBe(want.allegationsByYear.get(y) ?? 0);
		expect(got.visits.series[i], `${label} visits in ${y}`).toBe(want.visitsByYear.get(y) ?? 0);
		close(got.standards.series[i], want.standardsByYear.get(y), `standards in ${y}`);
		close(got.implemented.series[i], want.implementedByYear.get(y), `implemented in ${y}`);
	});
}

const st = (patch: Partial<ViewState>): ViewState => ({ ...defaultState(), ...patch });

const STATES: [string, ViewState][] = [
	['default', st({})],
	['2018-2021, pre-trial detention and police cells', st({ from: 2018, to: 2021, ftype: ['sizo', 'ivs'] })]
];

describe('the regions compared equal an independent computation over the released Parquet', () => {
	for (const [name, state] of STATES) {
		it(`${name}: every region and the nation, figures and yearly series`, async () => {
			const got = await loadRegionsComparison(release.engine, state);
			const first = state.from ?? 2014;
			const last = state.to ?? 2025;
			expect(got.years).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
			expect(got.regions.map((r) => r.code)).toEqual(REGION_CODES);
			expectRow(got.national, await expected(state, null), got.years, 'national');
			for (const row of got.regions) expectRow(row, await expected(state, row.code), got.years, row.code!);
			// Counted at all: a comparison of zeros would pass the checks above.
			expect(got.national.allegations.value).toBeGreaterThan(100);
			expect(got.regions.filter((r) => (r.visits.value ?? 0) > 0).length).toBe(20);
		}, 120_000);
	}

	it('the nation counts records whose region was withheld; the regions do not', async () => {
		const got = await loadRegionsComparison(release.engine, defaultState());
		const withheld = (await rows(`SELECT count(*)::DOUBLE AS v FROM ${parquet('allegations')} WHERE region_code IS NULL`))[0].v as number;
		expect(withheld).toBeGreaterThan(0);
		const sum = got.regions.reduce((s, r) => s + r.allegations.value!, 0);
		expect(got.national.allegations.value).toBe(sum + withheld);
	});
});
