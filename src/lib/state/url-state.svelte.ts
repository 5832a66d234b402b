import { onMount } from 'svelte';
import { afterNavigate, pushState } from '$app/navigation';
import { address, followAddress, setSearch } from './address.svelte';
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
	// The query string the view state is read from: the address bar (see address.svelte.ts;
	// SvelteKit's shallow routing does not change page.url).
	onMount(() => {
		followAddress();
		mounted = true;
	});
	afterNavigate(() => setSearch(location.search));
	// Bumped to ask again for the same state (a retry after an error): a fresh state object makes
	// every view run again.
	let retries = $state(0);
	const parsed = $derived.by(() => {
		void retries;
		return mounted ? parseState(new URLSearchParams(address.search)) : { state: defaultState(), notices: [] as StateNotice[] };
	});

	// Shallow routing: a history entry (back and forward restore views) without a router
	// navigation (no load functions, no page component swap). The views follow `address` at once;
	// the history entry is written after the frame that shows the new view, because SvelteKit's
	// pushState first records the scroll position, which forces a layout of the page in the middle
	// of the change (measured: 3-5 ms of every filter change on the overview).
	function go(next: ViewState) {
		let target = stateSearch(next);
		// A pinned release (?release=, the data portal) stays pinned while the filters change.
		const pinned = new URLSearchParams(address.search).get('release');
		if (pinned !== null) {
			const p = new URLSearchParams(target);
			p.set('release', pinned);
			target = '?' + p.toString();
		}
		if (target !== address.search) {
			setSearch(target);
			pushAfterPaint(target);
		} else retries++;
		return Promise.resolve();
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

/** History entries waiting for the next frame, in order (each filter change is one entry). */
const pending: { search: string; path: string }[] = [];

function pushAfterPaint(search: string) {
	pending.push({ search, path: location.pathname });
	if (pending.length > 1) return;
	// The first task after the next frame: the page has painted the new view by then.
	requestAnimationFrame(() => setTimeout(flushPending, 0));
}

function flushPending() {
	for (const { search, path } of pending.splice(0)) {
		// A navigation to another page in the meantime: the entry belonged to the page left.
		if (location.pathname !== path) return;
		pushState(search || path, {});
	}
}
