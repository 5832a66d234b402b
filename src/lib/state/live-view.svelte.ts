import { untrack } from 'svelte';
import { LiveQuery } from '$lib/engine/live-query.svelte';
import { NotRehearsed, pageEngine, rehearsalEngine, whenIdle } from '$lib/engine/page-engine';
import type { Engine } from '$lib/engine/types';
import { queryKey, stateKey, type ViewState } from './view-state';
import { pinnedRelease } from '$lib/releases/pin';
import { rehearsalStates } from './rehearsal';
import type { UrlState } from './url-state.svelte';

/** Rehearsals run on this page, by outcome (for the benchmark and tests; nothing of the app reads it). */
function rehearsalCounter(): { done: number; refused: number; failed: number } {
	const w = window as unknown as { __kzRehearsals?: { done: number; refused: number; failed: number } };
	return (w.__kzRehearsals ??= { done: 0, refused: 0, failed: 0 });
}

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
	/** false: no rehearsal after the first live answer (see rehearsal.ts). Default true. */
	rehearse?: boolean;
}): LiveQuery<T> {
	const priority = options.priority ?? 0;
	const query = new LiveQuery<T>(options.initial, () => pageEngine(priority));
	let first = true;
	let changes = 0;
	let lastState: string | undefined;
	let lastQuery: string | undefined;
	let rehearsed = false;
	// Once the view has its first live answer: rehearse the states next to it, one per idle
	// moment, until the reader changes something (see rehearsal.ts). Answers are thrown away;
	// nothing is fetched and no SQL is sent (rehearsalEngine), so a rehearsal costs only idle time.
	const rehearse = (state: ViewState, mine: number) => {
		if (rehearsed || options.rehearse === false) return;
		rehearsed = true;
		const states = rehearsalStates(state);
		const step = (i: number) => {
			if (i >= states.length || mine !== changes) return;
			whenIdle(() => {
				if (mine !== changes) return;
				const counts = rehearsalCounter();
				options.load(rehearsalEngine, states[i]).then(
					() => {
						counts.done++;
						step(i + 1);
					},
					(err) => {
						// Refused (a rollup the page has not fetched, or SQL) or failed: nothing is shown either way.
						counts[err instanceof NotRehearsed ? 'refused' : 'failed']++;
						step(i + 1);
					}
				);
			});
		};
		step(0);
	};
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
			const mine = ++changes;
			const run = (quiet: boolean) =>
				query.run((engine) => options.load(engine, state), { quiet }).then(() => {
					if (query.live) rehearse(state, mine);
				});
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
