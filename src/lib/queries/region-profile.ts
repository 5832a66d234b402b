/**
 * A region against the nation: the same five measures computed twice, once for the region's
 * facilities and once for all, under the view's other filters.
 */
import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import { whereClause } from './filters';
import { FILTERS } from './overview';

export interface ProfileMeasures {
	allegationsPer100k: number | null;
	allegationsPer1kDetainees: number | null;
	visits: number;
	standardsShare: number | null;
	implementedShare: number | null;
}

export interface RegionProfile {
	region: ProfileMeasures;
	national: ProfileMeasures;
}

async function measures(engine: Engine, state: ViewState): Promise<ProfileMeasures> {
	const a = whereClause(state, FILTERS.allegations);
	const p = whereClause(state, { year: 'year', region: 'region_code' });
	const v = whereClause(state, FILTERS.visits);
	const f = whereClause(state, FILTERS.findings);
	const r = whereClause(state, FILTERS.recommendations);
	// Rates per year: allegations over person-years (residents or detainees summed over the
	// selected regions and years), so spans of different length compare.
	const [row] = await engine.query<{
		n_alleg: number;
		residents: number | null;
		detainees: number | null;
		visits: number;
		standards: number | null;
		implemented: number | null;
	}>(
		`SELECT
			(SELECT count(*) FROM allegations${a.sql}) AS n_alleg,
			(SELECT sum(residents)::DOUBLE FROM region_year${p.sql}) AS residents,
			(SELECT sum(detainees)::DOUBLE FROM region_year${p.sql}) AS detainees,
			(SELECT count(*) FROM visits${v.sql}) AS visits,
			(SELECT avg(meets_standard::INTEGER) FROM findings${f.sql}) AS standards,
			(SELECT avg((status = 'implemented')::INTEGER) FROM recommendations${r.sql}) AS implemented`,
		[...a.params, ...p.params, ...p.params, ...v.params, ...f.params, ...r.params]
	);
	return {
		allegationsPer100k: row.residents ? (row.n_alleg * 100000) / row.residents : null,
		allegationsPer1kDetainees: row.detainees ? (row.n_alleg * 1000) / row.detainees : null,
		visits: row.visits,
		standardsShare: row.standards,
		implementedShare: row.implemented
	};
}

export async function loadRegionProfile(engine: Engine, state: ViewState, code: string): Promise<RegionProfile> {
	const [region, national] = await Promise.all([measures(engine, { ...state, region: [code] }), measures(engine, { ...state, region: [] })]);
	return { region, national };
}
