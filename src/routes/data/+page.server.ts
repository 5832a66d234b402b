import type { PageServerLoad } from './$types';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getNodeEngine } from '$lib/server/engine-node';
import { allegationYearSpan } from '$lib/queries/allegations-by-year';
import type { DataPackage } from '$lib/engine/catalog';
import type { Disclosure } from '$lib/portal/disclosure';
import { listReleases } from '$lib/server/releases';

export const prerender = true;

export const load: PageServerLoad = async () => {
	const dir = path.resolve(process.env.DATA_DIR ?? 'static/data');
	const pkg = JSON.parse(readFileSync(path.join(dir, 'datapackage.json'), 'utf8')) as DataPackage;
	let disclosure: Disclosure | null = null;
	try {
		disclosure = JSON.parse(readFileSync(path.join(dir, 'disclosure.json'), 'utf8'));
	} catch {
		disclosure = null;
	}
	const cff = readFileSync('CITATION.cff', 'utf8');
	const span = await allegationYearSpan(await getNodeEngine());
	// Earlier releases, for a link that pins one (?release=): their metadata, read in the browser.
	const archived = listReleases()
		.filter((r) => !r.current)
		.map((r) => ({ version: r.version, pkg: r.pkg, disclosure: r.disclosure }));
	return { pkg, disclosure, cff, span, archived };
};
