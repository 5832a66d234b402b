import { base } from '$app/paths';
import { getBrowserEngine } from './index';
import type { Engine } from './types';

/** The released data live at <site>/data/; resolve against the page so subpath deploys work. */
export function dataUrl(): string {
	return new URL(`${base}/data/`, location.href).href;
}

export function pageEngine(): Promise<Engine> {
	return getBrowserEngine(dataUrl());
}

/** Run after the page is idle (or at once when the browser has no requestIdleCallback). */
export function whenIdle(fn: () => void, timeout = 1500): void {
	if ('requestIdleCallback' in window) requestIdleCallback(() => fn(), { timeout });
	else setTimeout(fn, 50);
}
