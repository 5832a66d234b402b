import { base } from '$app/paths';
import { getBrowserEngine } from './index';
import { QueryLayer } from './query-layer';
import { cubeLoader } from '$lib/cubes/load';
import { pinnedRelease, releasePath } from '$lib/releases/pin';
import type { Cube } from '$lib/cubes/cube';
import type { CubeName } from '$lib/cubes/definitions';
import type { Engine } from './types';

/**
 * The released data live at <site>/data/ (an earlier release pinned by the page's address at
 * <site>/data/releases/<version>/); resolve against the page so subpath deploys work.
 */
export function dataUrl(): string {
	return new URL(`${base}${releasePath(pinnedRelease())}`, location.href).href;
}

let layer: QueryLayer<Engine> | undefined;

/**
 * The page's one query layer: every view, dashboard chart, embed and portal panel on the page asks
 * the engine through it, so a rollup or a preview is fetched once however many views want it.
 * The engine itself starts on the first request.
 */
export function pageLayer(): QueryLayer<Engine> {
	return (layer ??= new QueryLayer<Engine>({ engine: () => getBrowserEngine(dataUrl()) }));
}

let loadCube: ((name: CubeName) => Promise<Cube>) | undefined;
/** A rollup's key in the page's query layer. */
const cubeKey = (name: CubeName) => `cube:${name}`;

/**
 * The engine as views see it: every call goes through the page's query layer. `priority` orders
 * the requests of views made together (0: at the top of the page, 1: further down), so what is on
 * screen is answered first.
 */
function viaLayer(priority: number): Engine {
	return {
		tables: [],
		// Rollups are fetched as Arrow files, without the engine: a dashboard never starts DuckDB-WASM.
		cube: (name) => pageLayer().request({ key: cubeKey(name), priority, engine: false, run: () => (loadCube ??= cubeLoader(dataUrl()))(name) }),
		query: (sql, params) => pageLayer().query(sql, params, { priority }),
		close: async () => {}
	};
}
const engines = [viaLayer(0), viaLayer(1)];

/**
 * Start downloading the rollups a page's views read (the list the build recorded), as the page
 * hydrates: by the time the views take over from the build-time answers, the files are here.
 * Browser only; each file is fetched once (the layer and the loader share the request).
 */
export function prefetchCubes(names: readonly CubeName[] | undefined): void {
	if (typeof window === 'undefined' || !names) return;
	for (const name of names) engines[0].cube(name).catch(() => {
		// The views that read this rollup report the error themselves when they ask for it.
	});
}

/** Thrown by the rehearsal engine for anything the page has not already loaded. */
export class NotRehearsed extends Error {
	constructor(what: string) {
		super(`Not rehearsed: ${what}`);
		this.name = 'NotRehearsed';
	}
}

/**
 * An engine for rehearsals (see live-view.svelte.ts): it serves only the rollups the page already
 * has and refuses everything else (SQL, rollups not yet fetched), so a rehearsal costs no byte and
 * no engine time, and never queues ahead of the reader's own change.
 */
export const rehearsalEngine: Engine = {
	tables: [],
	cube: async (name) => {
		const cube = pageLayer().peek<Cube>(cubeKey(name));
		if (!cube) throw new NotRehearsed(`rollup ${name}`);
		return cube;
	},
	query: async () => {
		throw new NotRehearsed('SQL');
	},
	close: async () => {}
};

export function pageEngine(priority: 0 | 1 = 0): Promise<Engine> {
	return Promise.resolve(engines[priority]);
}

/**
 * Run once the page has loaded and the browser is idle: nothing of the engine (3 MB) is requested
 * before the page has painted and settled.
 */
export function whenIdle(fn: () => void, timeout = 2000): void {
	const idle = () => ('requestIdleCallback' in window ? requestIdleCallback(() => fn(), { timeout }) : setTimeout(fn, 50));
	if (document.readyState === 'complete') idle();
	else addEventListener('load', idle, { once: true });
}
