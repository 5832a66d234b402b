// The release the site is built from and the key of its offline data cache (src/lib/offline/plan.ts):
// the service worker is compiled with both (vite.config.ts, `define`) and checks the files it stores
// against them. The key is the SHA-256 of datapackage.json, a newline and rollups/manifest.json.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * @param {string} dir the release folder (static/data, or DATA_DIR)
 * @returns {{ release: string, key: string } | null} null when the folder has no release yet
 */
export function offlineKey(dir) {
	const pkg = path.join(dir, 'datapackage.json');
	const manifest = path.join(dir, 'rollups', 'manifest.json');
	if (!existsSync(pkg) || !existsSync(manifest)) return null;
	const a = readFileSync(pkg);
	const b = readFileSync(manifest);
	const version = JSON.parse(a.toString('utf8')).version;
	if (typeof version !== 'string') throw new Error(`${pkg}: "version" is missing`);
	return { release: version, key: dataKey(a, b) };
}

/** @param {Uint8Array} datapackage @param {Uint8Array} manifest */
export function dataKey(datapackage, manifest) {
	return createHash('sha256').update(datapackage).update('\n').update(manifest).digest('hex').slice(0, 16);
}
