import { error } from '@sveltejs/kit';
import type { EntryGenerator, PageServerLoad } from './$types';
import { getPageEngine } from '$lib/server/engine-node';
import { allegationYearSpan } from '$lib/queries/allegations-by-year';
import { loadRegionPageView } from '$lib/queries/region-page';
import { REGION_CODES } from '$lib/state/reference';
import { defaultState } from '$lib/state/view-state';

export const prerender = true;

/** One page per unit, built ahead: /regions/KZ-75/ and so on. */
export const entries: EntryGenerator = () => REGION_CODES.map((code) => ({ code }));

export const load: PageServerLoad = async ({ params }) => {
	if (!REGION_CODES.includes(params.code)) error(404, 'Unknown region');
	const { engine, cubes } = await getPageEngine();
	const span = await allegationYearSpan(engine);
	const view = await loadRegionPageView(engine, defaultState(), params.code, span);
	// The data's latest month (the rollups' manifest), for the printed brief.
	const lastMonth = (await engine.cube('region_year')).meta.lastMonth ?? null;
	return { code: params.code, span, view, lastMonth, cubes: cubes() };
};
