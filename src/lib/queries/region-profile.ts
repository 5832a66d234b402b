/**
 * A region against the nation: the same five measures computed twice, once for the region's
 * facilities and once for all, under the view's other filters.
 */
import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import { slice, type Cube } from '$lib/cubes/cube';
import { cubeWhere } from './registry';
import { overviewCubes, type OverviewCubes } from './overview';
import { denominatorsFor } from './allegations';
import { cubeYearSpan } from './allegations-by-year';
import { alignedRate, countsByYear, PER, rateYears, type RateColumn } from './rates';

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

function measures(c: OverviewCubes & { regionYear: Cube }, state: ViewState): ProfileMeasures {
	const sum = (cube: Cube, by: string[] = [], measure = 'n') => slice(cube, { where: cubeWhere(cube, state), by, sum: [measure] });
	const total = (rows: Record<string, unknown>[], test: (r: Record<string, unknown>) => boolean = () => true, m = 'n') =>
		rows.reduce((s, r) => s + (test(r) ? (r[m] as number) : 0), 0);
	// Rates per year: allegations over person-years (residents or detainees summed over the
	// selected regions), both over the same years (rates.ts), so spans of different length compare.
	const counts = countsByYear(sum(c.allegations, ['year']));
	const years = rateYears(state, cubeYearSpan(c.allegations));
	const rate = (column: RateColumn) => alignedRate(counts, denominatorsFor(c.regionYear, state, column), years, PER[column]).value;
	const findings = sum(c.findings, ['meets']);
	const assessed = total(findings, (r) => r.meets !== null);
	const recs = sum(c.recommendations, ['status']);
	const issued = total(recs);
	return {
		allegationsPer100k: rate('residents'),
		allegationsPer1kDetainees: rate('detainees'),
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
