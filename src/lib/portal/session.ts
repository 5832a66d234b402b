/**
 * The portal's engines, started on first use (single flight), browser only. The export session
 * runs the portal's fixed queries and writes Parquet; the console session is locked down and can
 * be replaced (cancel = terminate + start again).
 */
import { base } from '$app/paths';
import type { DuckSession } from '$lib/engine/console';
import { pinnedRelease, releasePath } from '$lib/releases/pin';

/** The folder of the release the page reads: the current one, or the one a `?release=` link pins. */
export function dataUrl(): string {
	return new URL(`${base}${releasePath(pinnedRelease())}`, location.href).href;
}

function starter(lockdown: boolean) {
	let p: Promise<DuckSession> | undefined;
	return {
		get(): Promise<DuckSession> {
			if (!p) {
				p = import('$lib/engine/console').then((mod) => mod.createDuckSession({ dataUrl: dataUrl(), lockdown }));
				p.catch(() => (p = undefined));
			}
			return p;
		},
		/** Terminate the current session (if any); the next get() starts a fresh one. */
		async restart(): Promise<void> {
			const old = p;
			p = undefined;
			if (old) await (await old.catch(() => null))?.terminate();
		}
	};
}

export const exportSession = starter(false);
export const consoleSession = starter(true);
