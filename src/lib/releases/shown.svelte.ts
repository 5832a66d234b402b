/**
 * The release a page shows, when a link pins an earlier one (`?release=1.0.0`). Dashboard pages,
 * region pages and embeds read it once in the browser, before any view asks for a rollup: the
 * page's rollups then come from /data/releases/<version>/ (pinRelease, read by the page engine),
 * and every chart's source line, export and citation names that version. The prerendered HTML is
 * the current release; a pinned page replaces it as soon as its views have answered.
 */
import { pinnedVersion, pinRelease, resolvePin, RELEASE_PARAM, type Pin } from './pin';

let shown = $state<Pin | null>(null);

/** Resolve the address's pin (browser only) and make the page engine read that release's files. */
export function readPagePin(current: string, archived: readonly string[]): Pin {
	const pin = resolvePin(new URLSearchParams(location.search).get(RELEASE_PARAM), current, archived);
	pinRelease(pinnedVersion(pin));
	return pin;
}

/** Make the pin visible to the page's components (after hydration, so the build's HTML is matched first). */
export function showPin(pin: Pin): void {
	shown = pin;
}

/** The pinned earlier release's version, or null when the page shows the current release. */
export function shownVersion(): string | null {
	return shown?.kind === 'pinned' ? shown.version : null;
}

export function shownPin(): Pin | null {
	return shown;
}
