/**
 * A rollup read by DuckDB (an Arrow table) -> a Cube of typed arrays. Shared by the browser and
 * the Node engine, so the build and the browser hold the same cube.
 */
import type { Codes, Cube } from './cube';
import type { CubeManifestEntry } from './definitions';

/** Minimal view of an Arrow table, so this file does not import apache-arrow. */
interface ArrowColumns {
	numRows: number;
	getChild(name: string): { toArray(): ArrayLike<number> } | null;
}

export function cubeFromArrow(name: string, table: ArrowColumns, entry: CubeManifestEntry, meta: Cube['meta'] = {}): Cube {
	const column = (c: string) => {
		const child = table.getChild(c);
		if (!child) throw new Error(`rollups/${entry.file} has no column "${c}" (rebuild the rollups: npm run data:rollups)`);
		return child.toArray();
	};
	const codes: Record<string, Codes> = {};
	for (const dim of Object.keys(entry.dims)) {
		const a = column(dim);
		codes[dim] = a instanceof Uint8Array || a instanceof Uint16Array || a instanceof Uint32Array ? a : Uint32Array.from(a);
	}
	const measures: Record<string, Float64Array> = {};
	for (const m of entry.measures) {
		const a = column(m);
		measures[m] = a instanceof Float64Array ? a : Float64Array.from(a, Number);
	}
	if (table.numRows !== entry.rows) throw new Error(`rollups/${entry.file} has ${table.numRows} rows, its manifest says ${entry.rows} (rebuild the rollups)`);
	return { name, length: table.numRows, codes, dicts: entry.dims, measures, meta };
}
