/**
 * The printed region brief's figures with 95% intervals (src/lib/views/region-brief.ts): their
 * counts and denominators against SQL written here over the released Parquet (@duckdb/node-api),
 * the intervals against the interval functions given those independent counts (the functions
 * themselves are checked against published tables in intervals.test.ts), and the classification
 * against the national value.
 */
import { describe, expect, it } from 'vitest';
import { parquet, releaseConnections } from './helpers/release';
import { loadRegionsComparison } from '../../src/lib/queries/region-compare';
import { briefFigures, type BriefEstimate } from '../../src/lib/views/region-brief';
import { rateInterval, wilsonInterval } from '../../src/lib/stats/intervals';
import { defaultState, type ViewState } from '../../src/lib/state/view-state';

const release = releaseConnections();
const rows = async (sql: string) => (await release.conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, number | null>[];

interface Want {
	years: { year: number; n: number; p: number }[];
	meets: number;
	findings: number;
	implemented: number;
	issued: number;
}

async function want(state: ViewState, region: string | null): Promise<Want> {
	const inRegion = region ? `region_code = '${region}'` : 'TRUE';
	const from = state.from ?? 1900;
	const to = state.to ?? 2100;
	const yearsOf = (col: string) => (state.from === null && state.to === null ? 'TRUE' : `${col} BETWEEN ${from} AND ${to}`);
	const years = await rows(`
		WITH span AS (SELECT min(report_year) AS a, max(report_year) AS b FROM ${parquet('allegations')}),
		pop AS (SELECT year, sum(residents) AS p FROM ${parquet('region_year')} WHERE ${inRegion} GROUP BY year),
		yrs AS (SELECT pop.year, pop.p FROM pop, span WHERE pop.year BETWEEN span.a AND span.b AND pop.year BETWEEN ${from} AND ${to} AND pop.p > 0),
		cnt AS (SELECT report_year::INTEGER AS year, count(*) AS n FROM ${parquet('allegations')} WHERE ${inRegion} GROUP BY 1)
		SELECT yrs.year::INTEGER AS year, coalesce(cnt.n, 0)::DOUBLE AS n, yrs.p::DOUBLE AS p FROM yrs LEFT JOIN cnt USING (year) ORDER BY 1`);
	const [f] = await rows(
		`SELECT count(*) FILTER (WHERE meets_standard)::DOUBLE AS k, count(*)::DOUBLE AS n FROM ${parquet('findings')} WHERE meets_standard IS NOT NULL AND ${inRegion} AND ${yearsOf('year(visit_month)')}`
	);
	const [r] = await rows(
		`SELECT count(*) FILTER (WHERE status = 'implemented')::DOUBLE AS k, count(*)::DOUBLE AS n FROM ${parquet('recommendations')} WHERE ${inRegion} AND ${yearsOf('year(issued_month)')}`
	);
	return {
		years: years.map((y) => ({ year: y.year as number, n: y.n as number, p: y.p as number })),
		meets: f.k as number,
		findings: f.n as number,
		implemented: r.k as number,
		issued: r.n as number
	};
}

function expectEstimate(got: BriefEstimate, value: number, low: number, high: number, n: number, label: string) {
	expect(got.n, `${label} records`).toBe(n);
	expect(got.value, `${label} value`).toBeCloseTo(value, 9);
	expect(got.low, `${label} low`).toBeCloseTo(low, 9);
	expect(got.high, `${label} high`).toBeCloseTo(high, 9);
	expect(got.low!).toBeLessThanOrEqual(got.value!);
	expect(got.high!).toBeGreaterThanOrEqual(got.value!);
}

const STATES: [string, ViewState][] = [
	['default', defaultState()],
	['2019-2022', { ...defaultState(), from: 2019, to: 2022 }]
];

describe('the brief figures equal an independent computation over the released Parquet', () => {
	for (const [name, state] of STATES) {
		for (const code of ['KZ-75', 'KZ-61']) {
			it(`${name}, ${code} and the nation`, async () => {
				const comparison = await loadRegionsComparison(release.engine, { ...state, region: [] });
				const got = briefFigures(comparison, code)!;
				expect(got).not.toBeNull();
				for (const [who, key] of [[code, 'region'], [null, 'national']] as const) {
					const w = await want(state, who);
					const label = `${name} ${who ?? 'nation'}`;
					const n = w.years.reduce((s, y) => s + y.n, 0);
					const p = w.years.reduce((s, y) => s + y.p, 0);
					const ci = rateInterval(n, p, 1e5)!;
					const [rate, standards, implemented] = got.measures;
					expect(got.measures.map((x) => x.id)).toEqual(['rate', 'standards', 'implemented']);
					expectEstimate(rate[key], (n / p) * 1e5, ci.low, ci.high, n, `${label} rate`);
					const s = wilsonInterval(w.meets, w.findings)!;
					expectEstimate(standards[key], w.meets / w.findings, s.low, s.high, w.findings, `${label} standards`);
					const i = wilsonInterval(w.implemented, w.issued)!;
					expectEstimate(implemented[key], w.implemented / w.issued, i.low, i.high, w.issued, `${label} implemented`);
					// Year by year: the years shown, each with its own count and residents.
					expect(got.years.map((y) => y.year)).toEqual(w.years.map((y) => y.year));
					w.years.forEach((y, j) => {
						const yci = rateInterval(y.n, y.p, 1e5)!;
						expectEstimate(got.years[j][key], (y.n / y.p) * 1e5, yci.low, yci.high, y.n, `${label} ${y.year}`);
					});
				}
				// The region is called above or below only when its whole interval is.
				for (const x of got.measures) {
					const nat = x.national.value!;
					const expected = x.region.low! > nat ? 'above' : x.region.high! < nat ? 'below' : 'within';
					expect(x.position, `${name} ${code} ${x.id}`).toBe(expected);
				}
			}, 60_000);
		}
	}
	it('gives null for a code the comparison does not hold', async () => {
		const comparison = await loadRegionsComparison(release.engine, defaultState());
		expect(briefFigures(comparison, 'KZ-00')).toBeNull();
	});
});
