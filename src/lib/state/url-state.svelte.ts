import { onMount } from 'svelte';
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { defaultState, parseState, stateSearch, type StateNotice, type ViewState } from './view-state';

export interface UrlState {
	/** The view state: the default while prerendering and hydrating, the URL's afterwards. */
	readonly state: ViewState;
	readonly notices: StateNotice[];
	/** True once the page runs in the browser and reads its URL. */
	readonly mounted: boolean;
	/** Navigate to the state with `patch` applied (a history entry: back/forward restore views). */
	update(patch: Partial<ViewState>): Promise<void>;
	reset(): Promise<void>;
	/** The query string of the current state ('' for the default), to carry across pages. */
	readonly search: string;
}

/**
 * The view state lives in the URL. Call from a component's script (it uses onMount). The URL is
 * read only after mount: a prerendered page has no query string, and hydration must match it.
 */
export function useUrlState(): UrlState {
	let mounted = $state(false);
	onMount(() => {
		mounted = true;
	});
	const parsed = $derived(mounted ? parseState(page.url.searchParams) : { state: defaultState(), notices: [] as StateNotice[] });

	function go(next: ViewState) {
		const search = stateSearch(next);
		return goto(search || page.url.pathname, { keepFocus: true, noScroll: true });
	}

	return {
		get state() {
			return parsed.state;
		},
		get notices() {
			return parsed.notices;
		},
		get mounted() {
			return mounted;
		},
		get search() {
			return mounted ? stateSearch(parsed.state) : '';
		},
		update(patch) {
			return go({ ...parsed.state, ...patch });
		},
		reset() {
			return go(defaultState());
		}
	};
}
