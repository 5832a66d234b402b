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
 * Several slices in one pass over the rows (a page's charts over one rollup): each distinct filter
 * set (by object identity of `where`) is tested once per row, then every slice that uses it adds
 * the row to its group. Over a million-row rollup this is one scan instead of one per chart.
 */
export function sliceMany(cube: Cube, specs: SliceOptions[]): SliceRow[][] {
	const filterSets: { dims: Codes[]; masks: Mask[] }[] = [];
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
			filter = filterSets.push({ dims: active.map(([d]) => cube.codes[d]), masks: active.map(([, m]) => m) }) - 1;
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

	const n = cube.length;
	const nSets = filterSets.length;
	const pass = new Uint8Array(nSets);
	for (let i = 0; i < n; i++) {
		let any = 0;
		for (let f = 0; f < nSets; f++) {
			const { dims, masks } = filterSets[f];
			let ok = 1;
			for (let k = 0; k < dims.length; k++) {
				if (masks[k][dims[k][i]] === 0) {
					ok = 0;
					break;
				}
			}
			pass[f] = ok;
			any |= ok;
		}
		if (!any) continue;
		for (let p = 0; p < plans.length; p++) {
			const plan = plans[p];
			if (!pass[plan.filter]) continue;
			let key = 0;
			for (let g = 0; g < plan.gCodes.length; g++) key = key * plan.radix[g] + plan.gCodes[g][i];
			plan.seen[key] = 1;
			const nm = plan.measures.length;
			const base = key * nm;
			for (let m = 0; m < nm; m++) plan.acc[base + m] += plan.measures[m][i];
		}
	}
	return plans.map(decode(cube));
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
