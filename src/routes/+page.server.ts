import type { PageServerLoad } from './$types';
import { getNodeEngine } from '$lib/server/engine-node';
import { allegationsByYear, allegationYearSpan } from '$lib/queries/allegations-by-year';
import { REGION_CODES } from '$lib/state/reference';
import { defaultState } from '$lib/state/view-state';

// The default view is computed at build time by the same engine and SQL the browser uses,
// so the chart is in the HTML before any JavaScript or .wasm arrives.
export const prerender = true;

export const load: PageServerLoad = async () => {
	const engine = await getNodeEngine();
	const span = await allegationYearSpan(engine);
	const byYear = await allegationsByYear(engine, REGION_CODES, span, defaultState());
	return { span, byYear };
};
