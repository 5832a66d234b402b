import { error } from '@sveltejs/kit';
import type { EntryGenerator, PageServerLoad } from './$types';
import { getNodeEngine } from '$lib/server/engine-node';
import { EMBED_REGISTRY } from '$lib/embed/registry';
import { EMBED_DASHBOARDS } from '$lib/embed/ids';
import { allegationYearSpan } from '$lib/queries/allegations-by-year';
import { defaultState } from '$lib/state/view-state';
import { own } from '$lib/state/own';

export const prerender = true;

export const entries: EntryGenerator = () => Object.keys(EMBED_DASHBOARDS).map((page) => ({ page }));

export const load: PageServerLoad = async ({ params }) => {
	const dash = own(EMBED_DASHBOARDS, params.page);
	if (!dash) error(404, 'No such dashboard');
	const engine = await getNodeEngine();
	const initial: Record<string, unknown> = {};
	const state = { ...defaultState(), region: dash.region ? [dash.region] : [] };
	for (const id of dash.charts) initial[id] = await own(EMBED_REGISTRY, id)!.load(engine, state);
	return { page: params.page, charts: dash.charts, region: dash.region ?? null, initial, span: await allegationYearSpan(engine) };
};
