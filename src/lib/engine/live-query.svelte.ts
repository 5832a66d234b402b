import { latestWins, isStale } from './latest';
import { pageEngine } from './page-engine';
import type { Engine } from './types';

/** For the benchmark: when the browser engine first answered on this page. */
function markEngineAnswered() {
	if (typeof window === 'undefined' || window.__engineReadyAt !== undefined) return;
	window.__engineReadyAt = performance.now();
	performance.mark('engine-first-query');
}

export type LiveStatus = 'loading' | 'ready' | 'error';

/**
 * One view's data: starts from the build-time answer (if any), then asks the browser engine.
 * Latest wins: an answer to an older request is dropped, so rapid changes end on the last one.
 */
export class LiveQuery<T> {
	data = $state<T | undefined>(undefined);
	status = $state<LiveStatus>('loading');
	error = $state<string | undefined>(undefined);
	/** True while a newer answer is on its way and an older one is shown. */
	updating = $state(false);
	/** True once the browser engine (not the build) has answered. */
	live = $state(false);
	#latest = latestWins();
	#engine: () => Promise<Engine>;

	constructor(initial?: T, engine: () => Promise<Engine> = pageEngine) {
		this.#engine = engine;
		if (initial !== undefined) {
			this.data = initial;
			this.status = 'ready';
		}
	}

	/**
	 * Ask the engine. `quiet`: the answer is expected to equal what is shown (the browser taking
	 * over the build-time view), so do not show "updating".
	 */
	async run(task: (engine: Engine) => Promise<T>, options: { quiet?: boolean } = {}): Promise<void> {
		if (this.data === undefined) this.status = 'loading';
		else if (!options.quiet) this.updating = true;
		try {
			const result = await this.#latest.run(async () => task(await this.#engine()));
			this.data = result;
			this.status = 'ready';
			this.error = undefined;
			this.live = true;
			this.updating = false;
			markEngineAnswered();
		} catch (err) {
			if (isStale(err)) return;
			this.status = 'error';
			this.error = err instanceof Error ? err.message : String(err);
			this.updating = false;
		}
	}
}
