/**
 * Renderer memory from /proc (Linux): the Chromium renderer processes of the bench's own browser
 * (found as descendants of this process, so other Chromiums on a shared machine are not counted).
 * A page's dedicated workers (the DuckDB worker and its WebAssembly memory) live in the page's
 * renderer process, so this is where the engine's memory shows; the JS heap from CDP does not
 * include it.
 *
 * PSS (proportional set size, /proc/PID/smaps_rollup) is the main figure: private pages in full,
 * pages shared with other processes (Chromium's code, fonts) divided among them. RSS and USS
 * (private pages only) are kept in the JSON.
 */
import { readFileSync, readdirSync } from 'node:fs';

interface Proc {
	pid: number;
	ppid: number;
	cmd: string;
}

function processes(): Proc[] {
	const out: Proc[] = [];
	for (const d of readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		try {
			const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			// Chromium rewrites its children's command lines (spaces, not NULs): read both.
			const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
			out.push({ pid: Number(d), ppid, cmd });
		} catch {
			/* gone meanwhile */
		}
	}
	return out;
}

function descendants(root: number, all: Proc[]): Proc[] {
	const inside = new Set([root]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const p of all) {
			if (!inside.has(p.pid) && inside.has(p.ppid)) {
				inside.add(p.pid);
				grew = true;
			}
		}
	}
	return all.filter((p) => p.pid !== root && inside.has(p.pid));
}

/** The bench browser's main process: Playwright talks to it over a pipe (Lighthouse's uses a port). */
export function findBrowserPid(): number | undefined {
	return descendants(process.pid, processes()).find((p) => p.cmd.includes('--remote-debugging-pipe') && !p.cmd.includes('--type='))?.pid;
}

/** Renderers that host web pages: not Chromium's own WebUI renderer, not extensions. */
function pageRenderers(browserPid: number): Proc[] {
	return descendants(browserPid, processes()).filter(
		(p) => p.cmd.includes('--type=renderer') && !p.cmd.includes('--top-chrome-webui') && !p.cmd.includes('--extension-process')
	);
}

export interface RendererMemory {
	pssMb: number;
	rssMb: number;
	ussMb: number;
	processes: number;
}

export function rendererMemory(browserPid: number | undefined): RendererMemory {
	const sum = { pss: 0, rss: 0, uss: 0, n: 0 };
	if (browserPid === undefined) return { pssMb: NaN, rssMb: NaN, ussMb: NaN, processes: 0 };
	for (const p of pageRenderers(browserPid)) {
		try {
			const s = readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8');
			const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
			sum.pss += kb('Pss');
			sum.rss += kb('Rss');
			sum.uss += kb('Private_Clean') + kb('Private_Dirty');
			sum.n++;
		} catch {
			/* exited */
		}
	}
	return { pssMb: sum.pss / 1024, rssMb: sum.rss / 1024, ussMb: sum.uss / 1024, processes: sum.n };
}

/** After a context closes, wait until its renderer has exited, so the next page is measured alone. */
export async function waitForNoRenderers(browserPid: number | undefined, timeoutMs = 5000): Promise<void> {
	if (browserPid === undefined) return;
	const t0 = Date.now();
	while (Date.now() - t0 < timeoutMs) {
		// An exiting process has an empty command line, so it no longer counts as a renderer.
		const alive = pageRenderers(browserPid);
		if (!alive.length) return;
		await new Promise((r) => setTimeout(r, 50));
	}
}
