import type { EntryGenerator, PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { listReleases } from '$lib/server/releases';

export const prerender = true;

export const entries: EntryGenerator = () => listReleases().map((r) => ({ version: r.version }));

export const load: PageServerLoad = ({ params }) => {
	const all = listReleases();
	const r = all.find((x) => x.version === params.version);
	if (!r) error(404, `No release ${params.version}; releases: ${all.map((x) => x.version).join(', ')}`);
	return {
		version: r.version,
		created: r.created,
		current: r.current,
		path: r.path,
		changes: r.changes,
		files: r.pkg.resources.map((x) => ({ name: x.name, path: x.path }))
	};
};
