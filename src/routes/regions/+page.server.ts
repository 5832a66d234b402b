import type { PageServerLoad } from './$types';
import { getPageEngine } from '$lib/server/engine-node';
import { allegationYearSpan } from '$lib/queries/allegations-by-year';
import { loadRegionsComparison } from '$lib/queries/region-compare';
import { defaultState } from '$lib/state/view-state';

// Built ahead: the table's numbers are in the HTML, readable without JavaScript.
export const prerender = true;

export const load: PageServerLoad = async () => {
	const { engine } = await getPageEngine();
	const [span, comparison] = await Promise.all([allegationYearSpan(engine), loadRegionsComparison(engine, defaultState())]);
	return { span, comparison };
};
