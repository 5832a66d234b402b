/**
 * A region against the nation: the same five measures for the region's facilities and for all,
 * under the view's other filters. A view of the regions comparison (region-compare.ts), so the
 * region page, /regions/ and this profile cannot disagree.
 */
import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import { loadRegionsComparison, type RegionComparisonRow } from './region-compare';

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

function measures(r: RegionComparisonRow): ProfileMeasures {
	return {
		allegationsPer100k: r.per100k.value,
		allegationsPer1kDetainees: r.per1kDetainees,
		visits: r.visits.value ?? 0,
		standardsShare: r.standards.value,
		implementedShare: r.implemented.value
	};
}

export async function loadRegionProfile(engine: Engine, state: ViewState, code: string): Promise<RegionProfile> {
	const c = await loadRegionsComparison(engine, { ...state, region: [] });
	const region = c.regions.find((r) => r.code === code);
	if (!region) throw new Error(`Unknown region ${code}`);
	return { region: measures(region), national: measures(c.national) };
}
