import { StaleResultError } from './types';

/**
 * Latest wins: each call to `run` supersedes the previous ones. An older promise that settles
 * after a newer call was made rejects with StaleResultError, so a view never shows the answer to
 * an older request (DuckDB-WASM's conn.query cannot be cancelled; we drop stale answers instead).
 */
export function latestWins() {
	let generation = 0;
	return {
		async run<T>(task: () => Promise<T>): Promise<T> {
			const mine = ++generation;
			try {
				const result = await task();
				if (mine !== generation) throw new StaleResultError();
				return result;
			} catch (err) {
				if (mine !== generation) throw new StaleResultError();
				throw err;
			}
		},
		/** True if `run` has been called since the given generation was taken. */
		get generation() {
			return generation;
		}
	};
}

export function isStale(err: unknown): err is StaleResultError {
	return err instanceof StaleResultError;
}
