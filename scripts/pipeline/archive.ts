/**
 * Earlier releases stay downloadable: when a release follows another (--previous), the previous
 * release's folder, exactly as it was published (Parquet, datapackage.json, disclosure files,
 * changes.json, rollups), is copied into releases/<its version>/ of the new release, together with
 * the releases archived before it. The current release stays at the top of the folder.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VERSION_RE = /^\d+\.\d+\.\d+$/;

/** The version in a release folder's datapackage.json, or an error naming the file. */
export function releaseVersion(dir: string): string {
	const file = join(dir, 'datapackage.json');
	let version: unknown;
	try {
		version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
	} catch (err) {
		throw new Error(`${file}: cannot be read (${(err as Error).message})`);
	}
	if (typeof version !== 'string' || !VERSION_RE.test(version)) throw new Error(`${file}: "version" must be a release version like 1.2.0, found ${JSON.stringify(version)}`);
	return version;
}

/** Versions archived in a release folder (releases/<version>/datapackage.json), oldest first. */
export function archivedVersions(dir: string): string[] {
	const root = join(dir, 'releases');
	if (!existsSync(root)) return [];
	return readdirSync(root)
		.filter((v) => VERSION_RE.test(v) && existsSync(join(root, v, 'datapackage.json')))
		.sort(compareVersions);
}

export function compareVersions(a: string, b: string): number {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
	return 0;
}

/** The next minor version: 1.0.0 -> 1.1.0. */
export function nextVersion(v: string): string {
	const [major, minor] = v.split('.').map(Number);
	return `${major}.${minor + 1}.0`;
}

/** Copy the previous release (and its own archive) into `staging`/releases/. */
export function archivePrevious(previousDir: string, staging: string): string {
	const version = releaseVersion(previousDir);
	const dest = join(staging, 'releases');
	mkdirSync(dest, { recursive: true });
	if (existsSync(join(previousDir, 'releases'))) cpSync(join(previousDir, 'releases'), dest, { recursive: true });
	const target = join(dest, version);
	mkdirSync(target, { recursive: true });
	for (const entry of readdirSync(previousDir)) {
		if (entry === 'releases' || entry.startsWith('.')) continue;
		cpSync(join(previousDir, entry), join(target, entry), { recursive: true });
	}
	return version;
}
