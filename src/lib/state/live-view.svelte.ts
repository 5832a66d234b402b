import { untrack } from 'svelte';
import { LiveQuery } from '$lib/engine/live-query.svelte';
import { pageEngine, whenIdle } from '$lib/engine/page-engine';
import type { Engine } from '$lib/engine/types';
import { queryKey, stateKey, type ViewState } from './view-state';
import { pinnedRelease } from '$lib/releases/pin';
import type { UrlState } from './url-state.svelte';

/**
 * A view's data for the view state in its URL. The build-time answer for the default state is
 * shown first (it is in the HTML) and needs no engine. With `prefetch` (pages) the engine starts
 * once the page has loaded and is idle, and quietly takes the view over, so the first filter change
 * is fast; without it (embeds of a default view) nothing is downloaded until the reader changes
 * something. A URL that asks for another view starts the engine at once. Latest wins.
 * Call from a component's script.
 */
export function useLiveView<T>(options: {
	initial: T | undefined;
	url: UrlState;
	load: (engine: Engine, state: ViewState) => Promise<T>;
	prefetch?: boolean;
	/** 1 for a view further down the page: its engine requests wait for those of the views above. */
	priority?: 0 | 1;
}): LiveQuery<T> {
	const priority = options.priority ?? 0;
	const query = new LiveQuery<T>(options.initial, () => pageEngine(priority));
	let first = true;
	let changes = 0;
	let lastState: string | undefined;
	let lastQuery: string | undefined;
	$effect(() => {
		if (!options.url.mounted) return;
		const state = options.url.state;
		untrack(() => {
			// A change of display only (the highlighted region, shares or counts) asks nothing new.
			// The same state again is a retry (url.update({})) and does ask.
			const full = stateKey(state);
			const asked = queryKey(state);
			const displayOnly = lastState !== undefined && full !== lastState && asked === lastQuery;
			lastState = full;
			lastQuery = asked;
			if (displayOnly) return;
			const run = (quiet: boolean) => query.run((engine) => options.load(engine, state), { quiet });
			const mine = ++changes;
			// The takeover waits for an idle moment; a change made before then supersedes it (else
			// the older, default state would run last and win).
			// A pinned earlier release: the build's answer is the current release's, so ask at once.
			if (first && asked === '' && options.initial !== undefined && !pinnedRelease()) {
				if (options.prefetch !== false) whenIdle(() => mine === changes && run(true));
			} else run(false);
			first = false;
		});
	});
	return query;
}
