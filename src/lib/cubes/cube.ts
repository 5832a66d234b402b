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
	return sliceMany(cube, [options])[0];
}

interface Plan {
	by: readonly string[];
	sums: readonly string[];
	gCodes: Codes[];
	radix: number[];
	measures: Float64Array[];
	acc: Float64Array;
	seen: Uint8Array;
	/** Index into the distinct filter sets. */
	filter: number;
}

/**
 * Several slices at once (a page's charts over one rollup). Each distinct filter set (by object
 * identity of `where`) is tested once per row, giving the numbers of the rows it keeps; then every
 * slice that uses it adds those rows to its groups, in a loop specialised for its number of group
 * dimensions. When every filter set filters on a dimension the rows are sorted by (year, in the
 * rollup step's order), only the runs of rows with a kept value are tested (rowRanges).
 * Over the recommendations rollup (31,711 rows, six slices) this is about half the time of a
 * row-at-a-time loop over all slices, and a from-year filter skips the earlier years' rows.
 */
export function sliceMany(cube: Cube, specs: SliceOptions[]): SliceRow[][] {
	const filterSets: { names: string[]; dims: Codes[]; masks: Mask[] }[] = [];
	const filterIndex = new Map<Record<string, Mask> | undefined, number>();
	const plans: Plan[] = specs.map((options) => {
		const by = options.by ?? [];
		const sums = options.sum ?? Object.keys(cube.measures);
		for (const d of by) if (!hasDim(cube, d)) throw new Error(`The ${cube.name} rollup has no dimension "${d}"`);
		for (const m of sums) if (!Object.hasOwn(cube.measures, m)) throw new Error(`The ${cube.name} rollup has no measure "${m}"`);
		let filter = filterIndex.get(options.where);
		if (filter === undefined) {
			const active = Object.entries(options.where ?? {}).filter(([, mask]) => mask.some((v) => v === 0));
			for (const [d] of active) if (!hasDim(cube, d)) throw new Error(`The ${cube.name} rollup has no dimension "${d}"`);
			filter = filterSets.push({ names: active.map(([d]) => d), dims: active.map(([d]) => cube.codes[d]), masks: active.map(([, m]) => m) }) - 1;
			filterIndex.set(options.where, filter);
		}
		const radix = by.map((d) => cube.dicts[d].length);
		let groups = 1;
		for (const r of radix) groups *= r;
		// Mixed-radix group key into a dense accumulator: keys are small (a few small dictionaries).
		if (groups > 1 << 24) throw new Error(`Too many groups (${groups}) in a slice of ${cube.name}`);
		return {
			by,
			sums,
			gCodes: by.map((d) => cube.codes[d]),
			radix,
			measures: sums.map((m) => cube.measures[m]),
			acc: new Float64Array(groups * sums.length),
			seen: new Uint8Array(groups),
			filter
		};
	});

	// Pass 1: the rows each distinct filter set keeps (row numbers), over the runs that can match.
	const n = cube.length;
	const kept = filterSets.map((_, f) => scratch(f, n));
	const counts = new Int32Array(filterSets.length);
	const ranges = rowRanges(cube, filterSets) ?? [0, n];
	for (let f = 0; f < filterSets.length; f++) {
		const { dims, masks } = filterSets[f];
		const out = kept[f];
		let c = 0;
		for (let r = 0; r < ranges.length; r += 2) {
			const to = ranges[r + 1];
			if (dims.length === 0) for (let i = ranges[r]; i < to; i++) out[c++] = i;
			else if (dims.length === 1) {
				const d0 = dims[0];
				const m0 = masks[0];
				for (let i = ranges[r]; i < to; i++) if (m0[d0[i]] !== 0) out[c++] = i;
			} else
				for (let i = ranges[r]; i < to; i++) {
					let ok = true;
					for (let k = 0; k < dims.length; k++)
						if (masks[k][dims[k][i]] === 0) {
							ok = false;
							break;
						}
					if (ok) out[c++] = i;
				}
		}
		counts[f] = c;
	}
	// Pass 2: each slice adds its filter set's rows to their groups.
	for (const plan of plans) accumulate(plan, kept[plan.filter], counts[plan.filter]);
	return plans.map(decode(cube));
}

/** Runs of equal codes of one dimension: [code, start, end, code, start, end, ...]; null = too many. */
const runCache = new WeakMap<Cube, Map<string, Int32Array | null>>();

function runsOf(cube: Cube, dim: string): Int32Array | null {
	let byDim = runCache.get(cube);
	if (!byDim) runCache.set(cube, (byDim = new Map()));
	let runs = byDim.get(dim);
	if (runs !== undefined) return runs;
	// A dimension the rows are sorted by (the rollup step sorts by year first) has one run per value.
	const codes = cube.codes[dim];
	const limit = Math.max(4, cube.dicts[dim].length * 2);
	const out: number[] = [];
	for (let i = 0; i < codes.length; ) {
		let j = i + 1;
		while (j < codes.length && codes[j] === codes[i]) j++;
		out.push(codes[i], i, j);
		if (out.length / 3 > limit) break;
		i = j;
	}
	runs = out.length / 3 > limit ? null : Int32Array.from(out);
	byDim.set(dim, runs);
	return runs;
}

/**
 * The rows a slice must visit, as [start, end, ...], when a filtered dimension comes in runs (the
 * rows are sorted by it): only the runs whose value some filter set keeps. Null: every row. A
 * dimension can narrow the scan only if every filter set filters on it (a set that does not would
 * keep rows of any value). Over a year-sorted rollup, a from-year filter skips the earlier years'
 * rows instead of testing them one by one.
 */
function rowRanges(cube: Cube, filterSets: { names: string[]; masks: Mask[] }[]): number[] | null {
	if (!filterSets.length) return null;
	let best: number[] | null = null;
	let bestRows = cube.length;
	for (const dim of filterSets[0].names) {
		const masks = filterSets.map((f) => f.masks[f.names.indexOf(dim)]);
		if (masks.some((m) => m === undefined)) continue;
		const runs = runsOf(cube, dim);
		if (!runs) continue;
		const ranges: number[] = [];
		let rows = 0;
		for (let r = 0; r < runs.length; r += 3) {
			const code = runs[r];
			if (!masks.some((m) => m[code] !== 0)) continue;
			const [start, end] = [runs[r + 1], runs[r + 2]];
			if (ranges.length && ranges[ranges.length - 1] === start) ranges[ranges.length - 1] = end;
			else ranges.push(start, end);
			rows += end - start;
		}
		if (rows < bestRows) [best, bestRows] = [ranges, rows];
	}
	return best;
}

/** Row-number buffers reused across slices (one per filter set of a call; calls do not overlap). */
const buffers: Uint32Array[] = [];
function scratch(f: number, n: number): Uint32Array {
	if (!buffers[f] || buffers[f].length < n) buffers[f] = new Uint32Array(n);
	return buffers[f];
}

/** Adds the given rows to the plan's groups: a loop per shape, so each is a tight loop over typed arrays. */
function accumulate(plan: Plan, rows: Uint32Array, count: number): void {
	const { gCodes, radix, seen, acc, measures } = plan;
	const nm = measures.length;
	if (nm === 1) {
		const v = measures[0];
		if (gCodes.length === 0) {
			let sum = 0;
			for (let k = 0; k < count; k++) sum += v[rows[k]];
			acc[0] += sum;
			if (count) seen[0] = 1;
			return;
		}
		if (gCodes.length === 1) {
			const a = gCodes[0];
			for (let k = 0; k < count; k++) {
				const i = rows[k];
				const key = a[i];
				seen[key] = 1;
				acc[key] += v[i];
			}
			return;
		}
		if (gCodes.length === 2) {
			const [a, b] = gCodes;
			const rb = radix[1];
			for (let k = 0; k < count; k++) {
				const i = rows[k];
				const key = a[i] * rb + b[i];
				seen[key] = 1;
				acc[key] += v[i];
			}
			return;
		}
		if (gCodes.length === 3) {
			const [a, b, c] = gCodes;
			const [, rb, rc] = radix;
			for (let k = 0; k < count; k++) {
				const i = rows[k];
				const key = (a[i] * rb + b[i]) * rc + c[i];
				seen[key] = 1;
				acc[key] += v[i];
			}
			return;
		}
	}
	for (let k = 0; k < count; k++) {
		const i = rows[k];
		let key = 0;
		for (let g = 0; g < gCodes.length; g++) key = key * radix[g] + gCodes[g][i];
		seen[key] = 1;
		const base = key * nm;
		for (let m = 0; m < nm; m++) acc[base + m] += measures[m][i];
	}
}

const decode = (cube: Cube) => (plan: Plan): SliceRow[] => {
	const { by, sums, radix, acc, seen } = plan;
	const out: SliceRow[] = [];
	const nm = sums.length;
	for (let key = 0; key < seen.length; key++) {
		if (!seen[key] && by.length > 0) continue;
		const row: SliceRow = {};
		let rest = key;
		for (let g = by.length - 1; g >= 0; g--) {
			const code = rest % radix[g];
			rest = (rest - code) / radix[g];
			row[by[g]] = cube.dicts[by[g]][code];
		}
		for (let m = 0; m < nm; m++) row[sums[m]] = acc[key * nm + m];
		out.push(row);
	}
	return out;
};

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
