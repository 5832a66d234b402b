import type { PageServerLoad } from './$types';
import { getPageEngine } from '$lib/server/engine-node';
import { loadRecommendationsView, recommendationYearSpan } from '$lib/queries/recommendations';
import { defaultState } from '$lib/state/view-state';

// The default view is computed at build time by the same engine and SQL the browser uses.
export const prerender = true;

export const load: PageServerLoad = async () => {
	const { engine, cubes } = await getPageEngine();
	const span = await recommendationYearSpan(engine);
	const view = await loadRecommendationsView(engine, defaultState());
	return { span, view, cubes: cubes() };
};
