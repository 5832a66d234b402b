/**
 * Escape closes a disclosure and puts the focus back on the control that opened it, as a reader
 * expects of a dropdown. The innermost open one closes first (the key goes no further), so a
 * dropdown inside another closes alone.
 */

/** Escape pressed inside an open <details> (or on its <summary>) closes it and focuses the summary. */
export function closeOnEscape(details: HTMLDetailsElement) {
	const onkeydown = (e: KeyboardEvent) => {
		if (e.key !== 'Escape' || e.defaultPrevented || !details.open) return;
		e.preventDefault();
		e.stopPropagation();
		details.open = false;
		(details.querySelector(':scope > summary') as HTMLElement | null)?.focus();
	};
	details.addEventListener('keydown', onkeydown);
	return {
		destroy() {
			details.removeEventListener('keydown', onkeydown);
		}
	};
}

/**
 * The same for a button with aria-expanded and the panel it shows: `onEscape(e, close)` in the
 * keydown handler of an element holding both. Returns true when it closed the panel.
 */
export function escapeCloses(e: KeyboardEvent, open: boolean, close: () => void, button: HTMLElement | undefined): boolean {
	if (e.key !== 'Escape' || e.defaultPrevented || !open) return false;
	e.preventDefault();
	e.stopPropagation();
	close();
	button?.focus();
	return true;
}
