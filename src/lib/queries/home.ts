import type { Engine } from '$lib/engine/types';
import { REGION_CODES } from '$lib/state/reference';
import type { ViewState } from '$lib/state/view-state';
import { allegationsByYear, type AllegationsByYear, type YearRange } from './allegations-by-year';
import { loadOverviewView, type OverviewView } from './overview';
import { implementationByYear, type ImplementationYear } from './recommendations';
import { conditionsHeatmap, type HeatmapCell } from './conditions';

/** Everything the overview page shows, for one view state: one chart per theme, the map, headlines. */
export interface HomeView extends OverviewView {
	byYear: AllegationsByYear;
	implementation: ImplementationYear[];
	heatmap: HeatmapCell[];
}

export async function loadHomeView(engine: Engine, state: ViewState, span: YearRange): Promise<HomeView> {
	const [overview, byYear, implementation, heatmap] = await Promise.all([
		loadOverviewView(engine, state),
		allegationsByYear(engine, REGION_CODES, span, state),
		implementationByYear(engine, state),
		conditionsHeatmap(engine, state)
	]);
	return { ...overview, byYear, implementation, heatmap };
}
