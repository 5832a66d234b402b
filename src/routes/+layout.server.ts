import type { LayoutServerLoad } from './$types';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VERSION_RE } from '$lib/releases/pin';

/**
 * The release every page shows (chart source lines, exports, citations): the version in the
 * released datapackage.json, read at build time. A page is always built from one release.
 */
export const load: LayoutServerLoad = () => {
	const dir = path.resolve(process.env.DATA_DIR ?? 'static/data');
	const file = path.join(dir, 'datapackage.json');
	let version: unknown;
	try {
		version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
	} catch (err) {
		throw new Error(`Cannot read the release's version from ${file}: ${(err as Error).message}. Run "npm run data" first.`);
	}
	if (typeof version !== 'string' || !VERSION_RE.test(version)) throw new Error(`${file}: "version" must be a release version like 1.2.0, found ${JSON.stringify(version)}`);
	// Earlier releases a link can pin (?release=): those archived with their rollups, which the
	// dashboard's charts read.
	const root = path.join(dir, 'releases');
	const archived = existsSync(root)
		? readdirSync(root).filter((v) => VERSION_RE.test(v) && v !== version && existsSync(path.join(root, v, 'rollups', 'manifest.json')))
		: [];
	return { release: version, archived };
};
