import type { DataPackage } from './catalog';
import type { Engine } from './types';

export type { Engine, Row, SqlParam } from './types';
export { StaleResultError } from './types';
export { latestWins, isStale } from './latest';

let enginePromise: Promise<Engine> | undefined;

/**
 * The page's one engine, started on first use (single flight). Browser only: callers are
 * onMount / event handlers. A failed start is not cached, so a retry can try again.
 */
export function getBrowserEngine(dataUrl: string, dataPackage?: DataPackage): Promise<Engine> {
	if (!enginePromise) {
		enginePromise = import('./browser')
			.then((m) => m.createBrowserEngine({ dataUrl, dataPackage }))
			.then((engine) => {
				performance.mark('engine-ready');
				return engine;
			})
			.catch((err) => {
				enginePromise = undefined;
				throw err;
			});
	}
	return enginePromise;
}
