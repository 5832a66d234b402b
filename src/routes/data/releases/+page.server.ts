import type { PageServerLoad } from './$types';
import { listReleases } from '$lib/server/releases';

export const prerender = true;

export const load: PageServerLoad = () => {
	const releases = listReleases().map((r) => ({
		version: r.version,
		created: r.created,
		current: r.current,
		path: r.path,
		files: r.pkg.resources.map((x) => ({ name: x.name, path: x.path, rows: x.rows ?? null })),
		allegations: r.pkg.resources.find((x) => x.name === 'allegations')?.rows ?? null,
		rows: r.pkg.resources.reduce((s, x) => s + (x.rows ?? 0), 0)
	}));
	return { releases };
};
