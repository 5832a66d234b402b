/**
 * A rollup held in memory as typed arrays, and the one operation the dashboard needs on it:
 * filter by the view state, group by a few dimensions, sum the measures.
 *
 * DuckDB reads the rollup file once (it is the engine that reads every file); after that a filter
 * change is a scan of small integer codes in JavaScript, which takes microseconds at the demo's
 * size and about 10-20 ms over a million-row cube, instead of a worker round trip per view.
 */
import type { DimValue } from './definitions';

export type Codes = Uint8Array | Uint16Array | Uint32Array;

export interface Cube {
	name: string;
	length: number;
	/** Dimension -> one code per row (0 = NULL). */
	codes: Record<string, Codes>;
	/** Dimension -> dictionary (index = code; index 0 is null). */
	dicts: Record<string, DimValue[]>;
	/** Measure -> one value per row. */
	measures: Record<string, Float64Array>;
	/** Facts about the release the rollup came from (the recommendations' cut-off month). */
	meta: { lastMonth?: string | null };
}

/** Allowed codes of one dimension: mask[code] === 1 keeps the row. */
export type Mask = Uint8Array;

export interface SliceOptions {
	/** Dimension -> mask of allowed codes (rows whose code is not allowed are left out). */
	where?: Record<string, Mask>;
	/** Dimensions to group by, in order; [] gives one row with the totals. */
	by?: readonly string[];
	/** Measures to sum (default: every measure of the cube). */
	sum?: readonly string[];
}

export type SliceRow = Record<string, DimValue>;

function hasDim(cube: Cube, dim: string): boolean {
	return Object.hasOwn(cube.codes, dim);
}

/** A mask over a dimension's dictionary from a predicate on its values (null = withheld). */
export function maskOf(cube: Cube, dim: string, keep: (value: DimValue) => boolean): Mask {
	if (!hasDim(cube, dim)) throw new Error(`The ${cube.name} rollup has no dimension "${dim}"`);
	const dict = cube.dicts[dim];
	const mask = new Uint8Array(dict.length);
	for (let i = 0; i < dict.length; i++) mask[i] = keep(dict[i]) ? 1 : 0;
	return mask;
}

/** Both masks must keep a code. */
export function andMask(a: Mask | undefined, b: Mask): Mask {
	if (!a) return b;
	const out = new Uint8Array(a.length);
	for (let i = 0; i < a.length; i++) out[i] = a[i] & b[i];
	return out;
}

/**
 * Group and sum. Rows come out in the order of their group's codes (dictionary order, NULL
 * first), each with the decoded dimension values and the sums; groups with no row do not appear.
 */
export function slice(cube: Cube, options: SliceOptions = {}): SliceRow[] {
	const by = options.by ?? [];
	const sums = options.sum ?? Object.keys(cube.measures);
	for (const d of by) if (!hasDim(cube, d)) throw new Error(`The ${cube.name} rollup has no dimension "${d}"`);
	for (const m of sums) if (!Object.hasOwn(cube.measures, m)) throw new Error(`The ${cube.name} rollup has no measure "${m}"`);

	const filters = Object.entries(options.where ?? {}).filter(([, mask]) => mask.some((v) => v === 0));
	const fCodes = filters.map(([d]) => cube.codes[d]);
	const fMasks = filters.map(([, mask]) => mask);
	const gCodes = by.map((d) => cube.codes[d]);
	const radix = by.map((d) => cube.dicts[d].length);
	const measures = sums.map((m) => cube.measures[m]);
	const nf = fCodes.length;
	const ng = gCodes.length;
	const nm = measures.length;

	// Mixed-radix group key; a dense accumulator (keys are small: a few dimensions of small dictionaries).
	let groups = 1;
	for (const r of radix) groups *= r;
	if (groups > 1 << 24) throw new Error(`Too many groups (${groups}) in a slice of ${cube.name}`);
	const acc = new Float64Array(groups * nm);
	const seen = new Uint8Array(groups);

	const n = cube.length;
	rows: for (let i = 0; i < n; i++) {
		for (let f = 0; f < nf; f++) if (fMasks[f][fCodes[f][i]] === 0) continue rows;
		let key = 0;
		for (let g = 0; g < ng; g++) key = key * radix[g] + gCodes[g][i];
		seen[key] = 1;
		const base = key * nm;
		for (let m = 0; m < nm; m++) acc[base + m] += measures[m][i];
	}

	const out: SliceRow[] = [];
	for (let key = 0; key < groups; key++) {
		if (!seen[key] && ng > 0) continue;
		const row: SliceRow = {};
		let rest = key;
		for (let g = ng - 1; g >= 0; g--) {
			const code = rest % radix[g];
			rest = (rest - code) / radix[g];
			row[by[g]] = cube.dicts[by[g]][code];
		}
		for (let m = 0; m < nm; m++) row[sums[m]] = acc[key * nm + m];
		out.push(row);
	}
	return out;
}

/** The total of one measure under the filters. */
export function total(cube: Cube, where: Record<string, Mask> = {}, measure = 'n'): number {
	return slice(cube, { where, sum: [measure] })[0][measure] as number;
}

/**
 * The `p` quantile (linear interpolation between closest ranks, as DuckDB's quantile_cont and
 * median) of a weighted list of values: each value stands for `count` equal observations.
 * null when there is no observation.
 */
export function weightedQuantile(values: { value: number; count: number }[], p: number): number | null {
	const sorted = values.filter((v) => v.count > 0).sort((a, b) => a.value - b.value);
	const n = sorted.reduce((s, v) => s + v.count, 0);
	if (n === 0) return null;
	const h = (n - 1) * p;
	const lo = Math.floor(h);
	const at = (rank: number) => {
		let seen = 0;
		for (const v of sorted) {
			seen += v.count;
			if (rank < seen) return v.value;
		}
		return sorted[sorted.length - 1].value;
	};
	const a = at(lo);
	if (h === lo) return a;
	const b = at(lo + 1);
	return a + (h - lo) * (b - a);
}
