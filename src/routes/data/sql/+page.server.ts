import type { PageServerLoad } from './$types';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataPackage } from '$lib/engine/catalog';
import { listReleases } from '$lib/server/releases';

export const prerender = true;

export const load: PageServerLoad = async () => {
	const dir = path.resolve(process.env.DATA_DIR ?? 'static/data');
	const pkg = JSON.parse(readFileSync(path.join(dir, 'datapackage.json'), 'utf8')) as DataPackage;
	const schemaOf = (p: DataPackage) =>
		p.resources.map((r) => ({
			name: r.name,
			rows: r.rows ?? null,
			fields: (r.schema?.fields ?? []).map((f) => ({ name: f.name, type: f.type, description: f.description ?? '' }))
		}));
	// Earlier releases, for a link that pins one (?release=): the console then reads their files.
	const archived = listReleases()
		.filter((r) => !r.current)
		.map((r) => ({ version: r.version, schema: schemaOf(r.pkg) }));
	return { schema: schemaOf(pkg), version: pkg.version ?? '', cff: readFileSync('CITATION.cff', 'utf8'), archived };
};
