/**
 * Client start-up. Paraglide's getLocale reads the locale from the address on every call (it
 * parses window.location.href each time), and every message and label asks for it: hundreds of
 * calls on a filter change, ~2 ms of the overview's. The locale is the path's language prefix and
 * changes only with the path (filter changes rewrite the query string), so the answer is kept
 * until the path changes.
 */
import { getLocale, overwriteGetLocale, type Locale } from '$lib/paraglide/runtime';

const fromAddress = getLocale;
let path: string | null = null;
let locale: Locale;
overwriteGetLocale(() => {
	const now = window.location.pathname;
	if (now !== path) {
		locale = fromAddress();
		path = now;
	}
	return locale;
});
