/**
 * Which rollup answers a chart: the smallest of a family that has every dimension the chart
 * groups by, every filter set in the view state and every fixed condition of the chart. The
 * slices of a page that land on the same rollup are computed in one pass (sliceMany).
 */
import type { Engine } from '$lib/engine/types';
import { sliceMany, type SliceOptions, type SliceRow } from '$lib/cubes/cube';
import { ALLEGATION_NARROW, CUBES, type CubeName, type DimValue } from '$lib/cubes/definitions';
import type { ViewState } from '$lib/state/view-state';
import { activeFilters, cubeWhere, type FilterKey } from './registry';

/** Allegation rollups, smallest first (measured: see definitions.ts). */
export const ALLEGATION_FAMILY: readonly CubeName[] = [...ALLEGATION_NARROW, 'allegations'];

export interface ChartSlice {
	by: string[];
	/** Filters the chart leaves out on purpose. */
	skip?: FilterKey[];
	/** The chart's own fixed conditions. */
	keep?: Record<string, (value: DimValue) => boolean>;
	sum?: string[];
}

/** The smallest rollup of `family` with all the dimensions the slice needs under `state`. */
export function pickCube(family: readonly CubeName[], state: ViewState, slice: ChartSlice): CubeName {
	const skip = new Set(slice.skip ?? []);
	// Filters no rollup of the family has do not apply to it (the registry says so); the others must be there.
	const familyDims = new Set(family.flatMap((name) => Object.keys(CUBES[name].dims)));
	const filters = activeFilters(state).filter((k) => !skip.has(k) && familyDims.has(k));
	const needed = new Set([...slice.by, ...Object.keys(slice.keep ?? {}), ...filters]);
	const fits = family.find((name) => [...needed].every((d) => Object.hasOwn(CUBES[name].dims, d)));
	if (!fits) throw new Error(`No rollup of ${family.join(', ')} has ${[...needed].join(', ')}`);
	return fits;
}

// Fixed conditions are functions: the same object is the same condition, nothing else is.
const keepIds = new WeakMap<object, number>();
let nextKeepId = 0;
const keepId = (keep: object) => {
	let id = keepIds.get(keep);
	if (id === undefined) keepIds.set(keep, (id = ++nextKeepId));
	return id;
};

/** Answers a page's slices over a family of rollups, each from the smallest that fits. */
export async function sliceFamily(engine: Engine, family: readonly CubeName[], state: ViewState, slices: ChartSlice[]): Promise<SliceRow[][]> {
	const names = slices.map((s) => pickCube(family, state, s));
	const unique = [...new Set(names)];
	const cubes = new Map(await Promise.all(unique.map(async (n) => [n, await engine.cube(n)] as const)));
	const out: SliceRow[][] = new Array(slices.length);
	for (const name of unique) {
		const cube = cubes.get(name)!;
		// One where-object per distinct (skip, keep) so sliceMany tests each filter set once per row.
		const wheres = new Map<string, ReturnType<typeof cubeWhere>>();
		const mine = slices.map((s, i) => [s, i] as const).filter(([, i]) => names[i] === name);
		const specs: SliceOptions[] = mine.map(([s]) => {
			const key = JSON.stringify(s.skip ?? []) + '|' + (s.keep ? keepId(s.keep) : '');
			let where = wheres.get(key);
			if (!where) wheres.set(key, (where = cubeWhere(cube, state, { skip: s.skip, keep: s.keep })));
			return { where, by: s.by, sum: s.sum ?? ['n'] };
		});
		sliceMany(cube, specs).forEach((rows, j) => (out[mine[j][1]] = rows));
	}
	return out;
}

/** The allegation slices of a page, each from the smallest allegation rollup that fits. */
export function sliceAllegations(engine: Engine, state: ViewState, slices: ChartSlice[]): Promise<SliceRow[][]> {
	return sliceFamily(engine, ALLEGATION_FAMILY, state, slices);
}
