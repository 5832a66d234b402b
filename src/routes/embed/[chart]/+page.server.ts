import { error } from '@sveltejs/kit';
import type { EntryGenerator, PageServerLoad } from './$types';
import { getNodeEngine } from '$lib/server/engine-node';
import { EMBED_REGISTRY } from '$lib/embed/registry';
import { defaultState } from '$lib/state/view-state';
import { own } from '$lib/state/own';

export const prerender = true;

/** One embed page per registered chart (the locale versions are reached through hreflang links). */
export const entries: EntryGenerator = () => Object.keys(EMBED_REGISTRY).map((chart) => ({ chart }));

export const load: PageServerLoad = async ({ params }) => {
	const entry = own(EMBED_REGISTRY, params.chart);
	if (!entry) error(404, 'No such chart');
	const initial = await entry.load(await getNodeEngine(), defaultState());
	return { chart: params.chart, initial };
};
