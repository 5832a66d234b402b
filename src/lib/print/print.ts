/**
 * Printing a region's brief. The charts draw at the width they measure (ResizeObserver), which a
 * print layout does not update: the print button first lays the page out at the printed width
 * (html[data-print-layout], brief.css), lets the charts redraw (line charts lower: print-layout.svelte.ts), then opens the print dialogue, and
 * puts the page back after it closes. Printing with the browser's own command (Ctrl+P) works too:
 * the charts are then scaled to the page instead of redrawn.
 */
import { tick } from 'svelte';
import { printLayout } from './print-layout.svelte';

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

export async function printBrief(win: Window = window): Promise<void> {
	const root = win.document.documentElement;
	root.dataset.printLayout = '';
	printLayout.active = true;
	const restore = () => {
		delete root.dataset.printLayout;
		printLayout.active = false;
		win.removeEventListener('afterprint', restore);
	};
	win.addEventListener('afterprint', restore);
	// One frame for the resize to be observed, one for the charts' redraw to reach the DOM.
	await frame();
	await tick();
	await frame();
	await tick();
	win.print();
}

/**
 * The page's address for the printed brief: in the prerendered HTML from SITE_URL given to the
 * build (a neutral placeholder without it); in the browser, the address the view was opened at.
 */
export function briefUrl(pathname: string, search = '', base?: string): string {
	const site = base ?? (__SITE_URL__ ? __SITE_URL__.replace(/\/?$/, '/') : 'https://example.org/');
	return new URL(pathname.replace(/^\//, '') + search, site).href;
}
