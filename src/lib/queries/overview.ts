/**
 * Overview: headline figures with their trend, and one value per region for the tile map.
 * Each theme's figures come from its own table with the filters that table supports.
 */
import type { Engine } from '$lib/engine/types';
import type { MapMeasure, ViewState } from '$lib/state/view-state';
import { whereClause, type FilterColumns } from './filters';

export const FILTERS = {
	allegations: { year: 'report_year', region: 'region_code', ftype: 'facility_type', auth: 'authority', atype: 'allegation_type', perp: 'perpetrator', channel: 'channel' },
	visits: { year: 'year(visit_month)', region: 'region_code', ftype: 'facility_type', auth: 'authority' },
	findings: { year: 'year(visit_month)', region: 'region_code', ftype: 'facility_type', ind: 'indicator' },
	recommendations: { year: 'year(issued_month)', region: 'region_code', ftype: 'facility_type', theme: 'theme', addr: 'addressee', prio: 'priority' }
} as const satisfies Record<string, FilterColumns>;

export interface YearValue {
	year: number;
	value: number | null;
	/** The number of records behind the value (the denominator for shares). */
	n: number;
}

export interface Headline {
	id: 'allegations' | 'visits' | 'standards' | 'implemented';
	/** Per year, oldest first, over the filtered span. */
	series: YearValue[];
}

const HEADLINE_SQL = {
	allegations: (w: string) =>
		`SELECT report_year AS year, count(*)::DOUBLE AS value, count(*) AS n FROM allegations${w}${w ? ' AND' : ' WHERE'} report_year IS NOT NULL GROUP BY 1 ORDER BY 1`,
	visits: (w: string) => `SELECT year(visit_month) AS year, count(*)::DOUBLE AS value, count(*) AS n FROM visits${w} GROUP BY 1 ORDER BY 1`,
	standards: (w: string) =>
		`SELECT year(visit_month) AS year, avg(meets_standard::INTEGER) AS value, count(meets_standard) AS n FROM findings${w} GROUP BY 1 ORDER BY 1`,
	implemented: (w: string) =>
		`SELECT year(issued_month) AS year, avg((status = 'implemented')::INTEGER) AS value, count(*) AS n FROM recommendations${w} GROUP BY 1 ORDER BY 1`
};

const HEADLINE_TABLE = { allegations: 'allegations', visits: 'visits', standards: 'findings', implemented: 'recommendations' } as const;

export async function loadHeadlines(engine: Engine, state: ViewState): Promise<Headline[]> {
	const ids = Object.keys(HEADLINE_SQL) as Headline['id'][];
	return Promise.all(
		ids.map(async (id) => {
			const w = whereClause(state, FILTERS[HEADLINE_TABLE[id]]);
			const series = await engine.query<YearValue>(HEADLINE_SQL[id](w.sql), w.params);
			return { id, series };
		})
	);
}

export interface RegionValue {
	region_code: string;
	value: number | null;
	n: number;
}

/**
 * One value per region for the map, under every filter except the region filter (the map shows
 * all regions; the selected ones are outlined):
 * - allegations: per 100,000 residents a year (allegations over resident-years in the span);
 * - conditions: share of findings meeting the standard;
 * - recommendations: share implemented.
 */
export async function loadMapValues(engine: Engine, state: ViewState, measure: MapMeasure): Promise<RegionValue[]> {
	if (measure === 'allegations') {
		const w = whereClause(state, FILTERS.allegations, { skip: ['region'], extra: ['region_code IS NOT NULL', 'report_year IS NOT NULL'] });
		const py = whereClause(state, { year: 'year' });
		return engine.query<RegionValue>(
			`WITH a AS (SELECT region_code, count(*) AS n FROM allegations${w.sql} GROUP BY 1),
			p AS (SELECT region_code, sum(residents)::DOUBLE AS residents FROM region_year${py.sql} GROUP BY 1)
			SELECT p.region_code, CASE WHEN p.residents > 0 THEN coalesce(a.n, 0) * 100000.0 / p.residents END AS value, coalesce(a.n, 0) AS n
			FROM p LEFT JOIN a USING (region_code) ORDER BY 1`,
			[...w.params, ...py.params]
		);
	}
	if (measure === 'conditions') {
		const w = whereClause(state, FILTERS.findings, { skip: ['region'], extra: ['region_code IS NOT NULL'] });
		return engine.query<RegionValue>(
			`SELECT region_code, avg(meets_standard::INTEGER) AS value, count(meets_standard) AS n FROM findings${w.sql} GROUP BY 1 ORDER BY 1`,
			w.params
		);
	}
	const w = whereClause(state, FILTERS.recommendations, { skip: ['region'], extra: ['region_code IS NOT NULL'] });
	return engine.query<RegionValue>(
		`SELECT region_code, avg((status = 'implemented')::INTEGER) AS value, count(*) AS n FROM recommendations${w.sql} GROUP BY 1 ORDER BY 1`,
		w.params
	);
}

export interface OverviewView {
	headlines: Headline[];
	map: RegionValue[];
}

export async function loadOverviewView(engine: Engine, state: ViewState): Promise<OverviewView> {
	const [headlines, map] = await Promise.all([loadHeadlines(engine, state), loadMapValues(engine, state, state.map)]);
	return { headlines, map };
}
