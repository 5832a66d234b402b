import type { PageServerLoad } from './$types';
import { getPageEngine } from '$lib/server/engine-node';
import { allegationYearSpan } from '$lib/queries/allegations-by-year';
import { loadAllegationsView } from '$lib/queries/allegations';
import { loadRegionFunnel } from '$lib/queries/region-funnel';
import { defaultState } from '$lib/state/view-state';

// The default view is computed at build time by the engine and SQL the browser uses; the browser
// engine takes over for any other view state.
export const prerender = true;

export const load: PageServerLoad = async () => {
	const { engine, cubes } = await getPageEngine();
	const span = await allegationYearSpan(engine);
	const [view, funnel] = await Promise.all([loadAllegationsView(engine, defaultState(), span), loadRegionFunnel(engine, defaultState())]);
	return { span, view, funnel, cubes: cubes() };
};
