import type { PageServerLoad } from './$types';
import { getNodeEngine } from '$lib/server/engine-node';
import { loadRegions } from '$lib/queries/regions';
import { allegationsByYear, allegationYearSpan } from '$lib/queries/allegations-by-year';

// The default view is computed at build time by the same engine and SQL the browser uses,
// so the chart is in the HTML before any JavaScript or .wasm arrives.
export const prerender = true;

export const load: PageServerLoad = async () => {
	const engine = await getNodeEngine();
	const regions = await loadRegions(engine);
	const span = await allegationYearSpan(engine);
	const byYear = await allegationsByYear(
		engine,
		regions.map((r) => r.region_code),
		span
	);
	return { regions, span, byYear };
};
