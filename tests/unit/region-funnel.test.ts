/**
 * The funnel plot's numbers against SQL written here, run by @duckdb/node-api over the released
 * Parquet in static/data (the app answers from its rollups on DuckDB-WASM): each region's
 * allegations and resident-years over the aligned years, the national rate, the rate; the 95%
 * interval by its defining property (Poisson tail sums in SQL at the app's limits); the control
 * limits by the interpolated Poisson quantile (Spiegelhalter 2005) found by cumulative sums in SQL.
 */
import { describe, expect, it } from 'vitest';
import { parquet, releaseConnections, sqlList } from './helpers/release';
import { loadRegionFunnel } from '../../src/lib/queries/region-funnel';
import { defaultState, type ViewState } from '../../src/lib/state/view-state';

const release = releaseConnections();
const rows = async (sql: string) => (await release.conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, number | string | null>[];

/** Per region: allegations and resident-years over the years shown within the allegations' span where the region has residents. */
async function expected(state: ViewState) {
	const filters = [
		state.ftype.length ? `facility_type IN (${sqlList(state.ftype)})` : 'TRUE',
		state.auth.length ? `authority IN (${sqlList(state.auth)})` : 'TRUE',
		state.atype.length ? `allegation_type IN (${sqlList(state.atype)})` : 'TRUE'
	].join(' AND ');
	const got = await rows(`
		WITH span AS (SELECT min(report_year) AS a, max(report_year) AS b FROM ${parquet('allegations')}),
		shown AS (SELECT y.year FROM range(${state.from ?? 1900}, ${(state.to ?? 2100) + 1}) y(year), span WHERE y.year BETWEEN span.a AND span.b),
		pop AS (SELECT region_code, year, residents FROM ${parquet('region_year')} WHERE residents > 0 AND year IN (SELECT year FROM shown)),
		cnt AS (SELECT region_code, report_year AS year, count(*) AS n FROM ${parquet('allegations')} WHERE ${filters} GROUP BY ALL)
		SELECT pop.region_code AS code, sum(pop.residents)::DOUBLE AS exposure, coalesce(sum(cnt.n), 0)::DOUBLE AS count
		FROM pop LEFT JOIN cnt USING (region_code, year) GROUP BY 1 ORDER BY 1`);
	return got.map((r) => ({ code: r.code as string, exposure: r.exposure as number, count: r.count as number }));
}

/** P(X ≤ k) for X ~ Poisson(mu), summed in SQL. */
async function poissonCdfSql(k: number, mu: number): Promise<number> {
	if (k < 0) return 0;
	const [r] = await rows(`SELECT sum(exp(r * ln(${mu}) - ${mu} - lgamma(r + 1))) AS p FROM range(0, ${k + 1}) t(r)`);
	return r.p as number;
}

/** The interpolated Poisson quantile count for mean `lambda` at p, by a cumulative sum in SQL. */
async function limitCountSql(lambda: number, p: number): Promise<number> {
	const top = Math.ceil(lambda + 15 * Math.sqrt(lambda) + 30);
	const [r] = await rows(`
		WITH pmf AS (SELECT r, exp(r * ln(${lambda}) - ${lambda} - lgamma(r + 1)) AS mass FROM range(0, ${top}) t(r)),
		cdf AS (SELECT r, mass, sum(mass) OVER (ORDER BY r) AS cum FROM pmf)
		SELECT r::DOUBLE AS r, mass, cum FROM cdf WHERE cum >= ${p} ORDER BY r LIMIT 1`);
	return (r.r as number) - ((r.cum as number) - p) / (r.mass as number);
}

const st = (patch: Partial<ViewState>): ViewState => ({ ...defaultState(), ...patch });
const STATES: [string, ViewState][] = [
	['default', st({})],
	['2021 on, torture only (small counts)', st({ from: 2021, atype: ['torture'] })],
	['2016-2018, police, a region filter (ignored)', st({ from: 2016, to: 2018, auth: ['mia_police'], region: ['KZ-75'] })]
];

describe('funnel plot equals an independent computation over the released Parquet', () => {
	for (const [name, state] of STATES) {
		it(`${name}: counts, exposures, rates, national rate, intervals and limits`, async () => {
			const got = await loadRegionFunnel(release.engine, state);
			const want = await expected(state);
			expect(got.regions.length).toBe(want.length);
			expect(want.length).toBeGreaterThan(15);
			const national = (want.reduce((s, r) => s + r.count, 0) / want.reduce((s, r) => s + r.exposure, 0)) * 1e5;
			expect(got.national).toBeCloseTo(national, 9);
			const byCode = new Map(got.regions.map((r) => [r.region_code, r]));
			for (const w of want) {
				const g = byCode.get(w.code)!;
				expect(g, w.code).toBeDefined();
				expect(g.count, w.code).toBe(w.count);
				expect(g.exposure, w.code).toBeCloseTo(w.exposure, 3);
				expect(g.rate, w.code).toBeCloseTo((w.count / w.exposure) * 1e5, 9);
				// Interval: P(X ≥ count | low) = 2.5% (low = 0 for no allegations) and P(X ≤ count | high) = 2.5%.
				const muLow = (g.low * w.exposure) / 1e5;
				const muHigh = (g.high * w.exposure) / 1e5;
				if (w.count === 0) expect(g.low).toBe(0);
				else expect(1 - (await poissonCdfSql(w.count - 1, muLow)), w.code).toBeCloseTo(0.025, 8);
				expect(await poissonCdfSql(w.count, muHigh), w.code).toBeCloseTo(0.025, 8);
				// Limits at this region's exposure.
				const lambda = (national / 1e5) * w.exposure;
				expect(g.limits.expected, w.code).toBeCloseTo(lambda, 6);
				const lim = async (p: number) => (Math.max(0, await limitCountSql(lambda, p)) / w.exposure) * 1e5;
				expect(g.limits.low998, w.code).toBeCloseTo(await lim(0.001), 6);
				expect(g.limits.low95, w.code).toBeCloseTo(await lim(0.025), 6);
				expect(g.limits.high95, w.code).toBeCloseTo(await lim(0.975), 6);
				expect(g.limits.high998, w.code).toBeCloseTo(await lim(0.999), 6);
			}
		}, 60_000);
	}

	it('the curve brackets every region and narrows as the exposure grows', async () => {
		const got = await loadRegionFunnel(release.engine, defaultState());
		const c = got.curve;
		expect(c[0].exposure).toBeLessThan(got.regions[0].exposure);
		expect(c[c.length - 1].exposure).toBeGreaterThan(got.regions[got.regions.length - 1].exposure);
		const width = (p: (typeof c)[number]) => (p.high95 - p.low95) / got.national!;
		expect(width(c[c.length - 1])).toBeLessThan(width(c[10]));
	});
});
