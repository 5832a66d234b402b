import { untrack } from 'svelte';
import { LiveQuery } from '$lib/engine/live-query.svelte';
import { whenIdle } from '$lib/engine/page-engine';
import type { Engine } from '$lib/engine/types';
import { isDefault, type ViewState } from './view-state';
import type { UrlState } from './url-state.svelte';

/**
 * A page's data for the view state in its URL. The build-time answer for the default state is
 * shown first (it is in the HTML); the browser engine starts when the page is idle, or at once when
 * the URL asks for another view. Every later change of state runs the loader again; latest wins.
 * Call from a component's script.
 */
export function useLiveView<T>(options: {
	initial: T | undefined;
	url: UrlState;
	load: (engine: Engine, state: ViewState) => Promise<T>;
}): LiveQuery<T> {
	const query = new LiveQuery<T>(options.initial);
	let first = true;
	let changes = 0;
	$effect(() => {
		if (!options.url.mounted) return;
		const state = options.url.state;
		untrack(() => {
			const run = (quiet: boolean) => query.run((engine) => options.load(engine, state), { quiet });
			const mine = ++changes;
			// The takeover waits for an idle moment; a change made before then supersedes it (else
			// the older, default state would run last and win).
			if (first && isDefault(state) && options.initial !== undefined) whenIdle(() => mine === changes && run(true));
			else run(false);
			first = false;
		});
	});
	return query;
}
