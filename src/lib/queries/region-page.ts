import type { Engine } from '$lib/engine/types';
import { REGION_CODES } from '$lib/state/reference';
import type { ViewState } from '$lib/state/view-state';
import { allegationsByYear, type AllegationsByYear, type YearRange } from './allegations-by-year';
import { statusBy, type StatusCounts } from './recommendations';
import { livingSpaceByFacilityType, type BoxGroup } from './conditions';
import { loadRegionsComparison, type RegionsComparison } from './region-compare';

/** Everything a region's page shows, for one view state (its region filter is the page's). */
export interface RegionPageView {
	/** Every region and the nation (the page picks its region): rates, shares, counts, yearly rates. */
	comparison: RegionsComparison;
	byYear: AllegationsByYear;
	statusByAddressee: StatusCounts[];
	livingSpace: BoxGroup[];
}

export async function loadRegionPageView(engine: Engine, state: ViewState, code: string, span: YearRange): Promise<RegionPageView> {
	const here = { ...state, region: [code] };
	const [comparison, byYear, statusByAddressee, livingSpace] = await Promise.all([
		loadRegionsComparison(engine, { ...state, region: [] }),
		// Nation-wide lines with this region highlighted: the region against the others.
		allegationsByYear(engine, REGION_CODES, span, { ...state, region: [] }),
		statusBy(engine, 'addressee', here),
		livingSpaceByFacilityType(engine, here)
	]);
	return { comparison, byYear, statusByAddressee, livingSpace };
}
