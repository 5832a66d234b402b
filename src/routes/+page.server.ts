import type { PageServerLoad } from './$types';
import { getPageEngine } from '$lib/server/engine-node';
import { allegationYearSpan } from '$lib/queries/allegations-by-year';
import { loadHomeView } from '$lib/queries/home';
import { defaultState } from '$lib/state/view-state';

// The default view is computed at build time by the same engine and SQL the browser uses,
// so the charts are in the HTML before any JavaScript or .wasm arrives.
export const prerender = true;

export const load: PageServerLoad = async () => {
	const { engine, cubes } = await getPageEngine();
	const span = await allegationYearSpan(engine);
	const view = await loadHomeView(engine, defaultState(), span);
	return { span, view, cubes: cubes() };
};
