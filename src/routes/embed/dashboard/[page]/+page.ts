import type { Component } from 'svelte';
import type { PageLoad } from './$types';
import { EMBED_REGISTRY } from '$lib/embed/registry';

// Only the dashboard's own charts' components are downloaded (see ../../[chart]/+page.ts).
export const load: PageLoad = async ({ data }) => {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const views: Record<string, Component<any>> = {};
	await Promise.all(data.charts.map(async (id) => (views[id] = (await EMBED_REGISTRY[id].view()).default)));
	return { ...data, views };
};
