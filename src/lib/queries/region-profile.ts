/**
 * A region against the nation: the same five measures computed twice, once for the region's
 * facilities and once for all, under the view's other filters.
 */
import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import { slice } from '$lib/cubes/cube';
import { cubeWhere } from './registry';
import { overviewCubes, type OverviewCubes } from './overview';

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

function measures(c: OverviewCubes & { regionYear: import('$lib/cubes/cube').Cube }, state: ViewState): ProfileMeasures {
	const sum = (cube: typeof c.allegations, by: string[] = [], measure = 'n') => slice(cube, { where: cubeWhere(cube, state), by, sum: [measure] });
	const total = (rows: Record<string, unknown>[], test: (r: Record<string, unknown>) => boolean = () => true, m = 'n') =>
		rows.reduce((s, r) => s + (test(r) ? (r[m] as number) : 0), 0);
	const nAlleg = total(sum(c.allegations));
	// Rates per year: allegations over person-years (residents or detainees summed over the
	// selected regions and years), so spans of different length compare.
	const py = slice(c.regionYear, { where: cubeWhere(c.regionYear, state), sum: ['residents', 'detainees', 'n_residents', 'n_detainees'] })[0];
	const residents = (py.n_residents as number) > 0 ? (py.residents as number) : null;
	const detainees = (py.n_detainees as number) > 0 ? (py.detainees as number) : null;
	const findings = sum(c.findings, ['meets']);
	const assessed = total(findings, (r) => r.meets !== null);
	const recs = sum(c.recommendations, ['status']);
	const issued = total(recs);
	return {
		allegationsPer100k: residents ? (nAlleg * 100000) / residents : null,
		allegationsPer1kDetainees: detainees ? (nAlleg * 1000) / detainees : null,
		visits: total(sum(c.visits)),
		standardsShare: assessed ? total(findings, (r) => r.meets === 1) / assessed : null,
		implementedShare: issued ? total(recs, (r) => r.status === 'implemented') / issued : null
	};
}

export async function loadRegionProfile(engine: Engine, state: ViewState, code: string): Promise<RegionProfile> {
	const [cubes, regionYear] = await Promise.all([overviewCubes(engine, { ...state, region: [code] }), engine.cube('region_year')]);
	const c = { ...cubes, regionYear };
	return { region: measures(c, { ...state, region: [code] }), national: measures(c, { ...state, region: [] }) };
}
