/**
 * The view state a page shows, handed to every chart frame below it through a Svelte context, so
 * each frame can say in words what is selected without every chart passing it on.
 */
import { getContext, setContext } from 'svelte';
import type { ViewState } from './view-state';

export interface SelectionSource {
	state: ViewState;
	/** The data's own years (to name them when the state leaves them open). */
	span?: { fromYear: number; toYear: number };
	/** A region fixed by the page (region profile, a region's embed). */
	region?: string | null;
}

const KEY = Symbol('kz-selection');

/** Call from a page's script: `get` is read whenever a frame renders, so it follows the URL. */
export function provideSelection(get: () => SelectionSource): void {
	setContext(KEY, get);
}

export function selectionSource(): (() => SelectionSource) | undefined {
	return getContext<(() => SelectionSource) | undefined>(KEY);
}
