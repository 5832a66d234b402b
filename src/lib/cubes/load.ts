/**
 * The browser's rollup reader: fetches rollups/manifest.json once and each cube's Arrow IPC file
 * once (rollups/<name>.arrow: DuckDB's own reading of the Parquet rollup, written by the rollup
 * step), and turns it into a Cube. No engine is involved, so a dashboard answers a filter change
 * as soon as the small file has arrived; DuckDB-WASM starts only for the portal's downloads and
 * its SQL console. A missing or short file is a clear error for the views that read it only.
 */
import { cubeFromArrow } from './arrow';
import type { Cube } from './cube';
import { MANIFEST_FILE, ROLLUP_DIR, type CubeName, type RollupManifest } from './definitions';
import { once } from '$lib/engine/once';

/** `dataUrl`: absolute URL of the release folder (ends with '/'). */
export function cubeLoader(dataUrl: string): (name: CubeName) => Promise<Cube> {
	const base = dataUrl.endsWith('/') ? dataUrl : dataUrl + '/';
	const manifest = once(async () => {
		const file = `${ROLLUP_DIR}/${MANIFEST_FILE}`;
		const r = await fetch(base + file);
		if (!r.ok) throw new Error(`Could not load ${file} (${r.status})`);
		return (await r.json()) as RollupManifest;
	});
	const download = async (file: string) => {
		const res = await fetch(base + file);
		if (!res.ok) throw new Error(`Could not load ${file} (${res.status})`);
		return new Uint8Array(await res.arrayBuffer());
	};
	return once(async (name: CubeName) => {
		// The rollup step names each file <name>.arrow: fetch it beside the manifest, not after it.
		const guess = `${ROLLUP_DIR}/${name}.arrow`;
		const early = download(guess);
		early.catch(() => {});
		const [m, { tableFromIPC }] = await Promise.all([manifest(undefined), import('apache-arrow')]);
		const entry = m.cubes[name];
		if (!entry) throw new Error(`This release has no "${name}" rollup`);
		if (!entry.arrow) throw new Error(`${ROLLUP_DIR}/${MANIFEST_FILE} names no Arrow file for "${name}" (rebuild the rollups: npm run data:rollups)`);
		const file = `${ROLLUP_DIR}/${entry.arrow.file}`;
		const bytes = await (file === guess ? early : download(file));
		if (bytes.byteLength !== entry.arrow.bytes) throw new Error(`Could not read ${file}: it has ${bytes.byteLength} bytes, the manifest says ${entry.arrow.bytes}`);
		try {
			return cubeFromArrow(name, tableFromIPC(bytes), entry, { lastMonth: m.lastMonth });
		} catch (err) {
			throw new Error(`Could not read ${file}: ${err instanceof Error ? err.message : String(err)}`);
		}
	});
}
