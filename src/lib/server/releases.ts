/**
 * The releases published so far, read at build time: the current one at static/data/ and the
 * earlier ones the pipeline keeps under static/data/releases/<version>/ (each with its
 * datapackage.json, disclosure.json and changes.json).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataPackage } from '$lib/engine/catalog';
import type { Disclosure } from '$lib/portal/disclosure';
import type { Changes } from '$lib/releases/changes';
import { VERSION_RE } from '$lib/releases/pin';

export interface ReleaseInfo {
	version: string;
	created: string;
	current: boolean;
	/** From the site's root: /data/ or /data/releases/<version>/. */
	path: string;
	pkg: DataPackage;
	disclosure: Disclosure | null;
	changes: Changes | null;
}

function readJson<T>(file: string, required: boolean): T | null {
	if (!existsSync(file)) {
		if (required) throw new Error(`${file} is missing. Run "npm run data" first.`);
		return null;
	}
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch (err) {
		throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
	}
}

function readRelease(dir: string, current: boolean, folderVersion?: string): ReleaseInfo {
	const pkg = readJson<DataPackage>(path.join(dir, 'datapackage.json'), true)!;
	const version = pkg.version ?? '';
	if (!VERSION_RE.test(version)) throw new Error(`${path.join(dir, 'datapackage.json')}: "version" must be a release version like 1.2.0, found ${JSON.stringify(pkg.version)}`);
	if (folderVersion !== undefined && folderVersion !== version) throw new Error(`${path.join(dir, 'datapackage.json')}: version ${version} does not match its folder releases/${folderVersion}/`);
	return {
		version,
		created: (pkg as { created?: string }).created ?? '',
		current,
		path: current ? '/data/' : `/data/releases/${version}/`,
		pkg,
		disclosure: readJson<Disclosure>(path.join(dir, 'disclosure.json'), false),
		changes: readJson<Changes>(path.join(dir, 'changes.json'), false)
	};
}

/** Every release, newest first. */
export function listReleases(): ReleaseInfo[] {
	const dir = path.resolve(process.env.DATA_DIR ?? 'static/data');
	const current = readRelease(dir, true);
	const root = path.join(dir, 'releases');
	const archived = existsSync(root)
		? readdirSync(root)
				.filter((v) => VERSION_RE.test(v) && v !== current.version)
				.map((v) => readRelease(path.join(root, v), false, v))
		: [];
	const order = (v: string) => v.split('.').map(Number).reduce((acc, n) => acc * 10000 + n, 0);
	return [current, ...archived.sort((a, b) => order(b.version) - order(a.version))];
}
