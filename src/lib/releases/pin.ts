/**
 * A link can pin a release: `?release=1.0.0` on the data portal and the SQL console makes them read
 * that release's files (kept under /data/releases/<version>/; the current release stays at /data/).
 * The page knows the versions at build time; the pin is read in the browser (prerendered pages have
 * no query string).
 */
export const RELEASE_PARAM = 'release';
export const VERSION_RE = /^\d+\.\d+\.\d+$/;

export type Pin =
	| { kind: 'current'; version: string }
	| { kind: 'pinned'; version: string; current: string }
	| { kind: 'unknown'; value: string; available: string[] };

/** The release a `?release=` value names, among the current one and the archived ones. */
export function resolvePin(value: string | null, current: string, archived: readonly string[]): Pin {
	if (value === null || value === current) return { kind: 'current', version: current };
	if (VERSION_RE.test(value) && archived.includes(value)) return { kind: 'pinned', version: value, current };
	return { kind: 'unknown', value: value.slice(0, 40), available: [...archived, current] };
}

/** The folder (from the site's root) holding a release's files. */
export function releasePath(version: string | null): string {
	return version ? `/data/releases/${version}/` : '/data/';
}

let pinned: string | null = null;

/** Set by a page once it has read its address, before any engine session starts. */
export function pinRelease(version: string | null): void {
	pinned = version;
}

export function pinnedRelease(): string | null {
	return pinned;
}

/** The version a pin names, or null for the current release (and for an unknown value). */
export function pinnedVersion(pin: Pin): string | null {
	return pin.kind === 'pinned' ? pin.version : null;
}
