/**
 * The address bar's query string, as reactive state shared by the page (its view state), the
 * navigation and language links (which carry the filters along) and the embed snippets.
 *
 * Filter changes use SvelteKit's shallow routing (pushState), which leaves page.url as it was, so
 * nothing can read the filters from page.url: this follows the address bar itself (our pushes,
 * back/forward, and real navigations, which components report with afterNavigate).
 */
let search = $state('');
let following = false;

export const address = {
	get search() {
		return search;
	}
};

/** Record the current address (after a navigation or a push). */
export function setSearch(value: string): void {
	search = value;
}

/** Start following the address bar (browser only; idempotent). */
export function followAddress(): void {
	search = location.search;
	if (following) return;
	following = true;
	addEventListener('popstate', () => (search = location.search));
}
