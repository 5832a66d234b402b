import type { Engine } from '$lib/engine/types';
import { REGION_CODES } from '$lib/state/reference';
import type { ViewState } from '$lib/state/view-state';
import { allegationsByYear, type AllegationsByYear, type YearRange } from './allegations-by-year';
import { loadOverviewView, type OverviewView } from './overview';

/** Everything the overview page shows, for one view state. */
export interface HomeView extends OverviewView {
	byYear: AllegationsByYear;
}

export async function loadHomeView(engine: Engine, state: ViewState, span: YearRange): Promise<HomeView> {
	const [overview, byYear] = await Promise.all([loadOverviewView(engine, state), allegationsByYear(engine, REGION_CODES, span, state)]);
	return { ...overview, byYear };
}
