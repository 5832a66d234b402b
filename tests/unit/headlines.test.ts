/**
 * The overview's "implemented" headline compares like with like: per year of issue, the share of
 * recommendations implemented within 12 months of issue, only for years whose recommendations have
 * all had 12 months by the data's last month. Checked against SQL written here over the released
 * Parquet (@duckdb/node-api, DuckDB 1.5); the app answers from its rollup on DuckDB-WASM.
 */
import { describe, expect, it } from 'vitest';
import { parquet, releaseConnections, sqlList } from './helpers/release';
import { loadHeadlines } from '../../src/lib/queries/overview';
import { defaultState, type ViewState } from '../../src/lib/state/view-state';

const release = releaseConnections();
const REC = parquet('recommendations');

const st = (patch: Partial<ViewState>): ViewState => ({ ...defaultState(), ...patch });

async function expected(state: ViewState): Promise<{ year: number; value: number; n: number }[]> {
	const where = [
		state.from != null ? `year(issued_month) >= ${state.from}` : 'TRUE',
		state.to != null ? `year(issued_month) <= ${state.to}` : 'TRUE',
		state.region.length ? `region_code IN (${sqlList(state.region)})` : 'TRUE',
		state.ftype.length ? `facility_type IN (${sqlList(state.ftype)})` : 'TRUE',
		state.addr.length ? `addressee IN (${sqlList(state.addr)})` : 'TRUE'
	].join(' AND ');
	const rows = (
		await release.conn.runAndReadAll(`
		WITH cut AS (SELECT max(status_month) AS c FROM ${REC})
		SELECT year(issued_month)::INTEGER AS year,
			count(*)::DOUBLE AS n,
			count(*) FILTER (WHERE implemented_month IS NOT NULL AND date_diff('month', issued_month, implemented_month) <= 12)::DOUBLE AS within
		FROM ${REC}, cut
		WHERE ${where} AND issued_month IS NOT NULL
			-- every recommendation of the year (the last issued in December) has had 12 months
			AND make_date(year(issued_month), 12, 1) + INTERVAL 12 MONTH <= cut.c
		GROUP BY 1 ORDER BY 1`)
	).getRowObjectsJS() as { year: number; n: number; within: number }[];
	return rows.map((r) => ({ year: r.year, value: r.within / r.n, n: r.n }));
}

const STATES: [string, ViewState][] = [
	['default', st({})],
	['2016-2020', st({ from: 2016, to: 2020 })],
	['Almaty, pre-trial detention', st({ region: ['KZ-75'], ftype: ['sizo'] })],
	['one addressee, to 2030', st({ addr: ['mia_penal'], to: 2030 })]
];

describe('"implemented within 12 months" headline', () => {
	for (const [name, state] of STATES) {
		it(`${name}: equals the independent computation`, async () => {
			const got = (await loadHeadlines(release.engine, state)).find((h) => h.id === 'implemented')!.series;
			const want = await expected(state);
			expect(want.length).toBeGreaterThan(0);
			expect(got.map((g) => g.year)).toEqual(want.map((w) => w.year));
			got.forEach((g, i) => {
				expect(g.n).toBe(want[i].n);
				expect(g.value).toBeCloseTo(want[i].value, 12);
			});
		});
	}

	it('leaves out the years that have not had 12 months (the recency artefact)', async () => {
		const cut = (await release.conn.runAndReadAll(`SELECT strftime(max(status_month), '%Y-%m') AS c FROM ${REC}`)).getRowObjectsJS()[0].c as string;
		const [cy, cm] = cut.split('-').map(Number);
		const last = (await loadHeadlines(release.engine, defaultState())).find((h) => h.id === 'implemented')!.series.at(-1)!;
		// December of the last year shown plus 12 months is within the data; the next year's is not.
		expect(cy * 12 + cm - (last.year * 12 + 12)).toBeGreaterThanOrEqual(12);
		expect(cy * 12 + cm - ((last.year + 1) * 12 + 12)).toBeLessThan(12);
	});
});
