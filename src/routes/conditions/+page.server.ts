import type { PageServerLoad } from './$types';
import { getPageEngine } from '$lib/server/engine-node';
import { loadConditionsView } from '$lib/queries/conditions';
import { defaultState } from '$lib/state/view-state';

// The default view is computed at build time by the same engine and SQL the browser uses.
export const prerender = true;

export const load: PageServerLoad = async () => {
	const { engine, cubes } = await getPageEngine();
	const view = await loadConditionsView(engine, defaultState());
	return { view, cubes: cubes() };
};
