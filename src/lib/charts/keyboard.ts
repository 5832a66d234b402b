/**
 * Keyboard and pointer cursors shared by the charts. Each plot is one tab stop; arrow keys, Home
 * and End move a cursor over its items and Escape clears it. The functions here are pure (the
 * Svelte components keep the cursor in $state and call them from their event handlers).
 */

/** Which arrow keys move a 1-D cursor: both pairs, only Left/Right, or only Up/Down. */
export type CursorAxis = 'both' | 'horizontal' | 'vertical';

export interface MoveOptions {
	axis?: CursorAxis;
	/** Items an arrow key moves by (e.g. 5 with Shift); Home and End still go to the ends. */
	step?: number;
}

const FORWARD: Record<CursorAxis, string[]> = { both: ['ArrowDown', 'ArrowRight'], horizontal: ['ArrowRight'], vertical: ['ArrowDown'] };
const BACKWARD: Record<CursorAxis, string[]> = { both: ['ArrowUp', 'ArrowLeft'], horizontal: ['ArrowLeft'], vertical: ['ArrowUp'] };

/**
 * The next cursor index over `count` items after `key`: a number in [0, count - 1], `null` for
 * Escape (no cursor), or `undefined` when the key does not move the cursor (leave it, and the
 * event, alone). With no cursor yet, a forward arrow starts at the first item and a backward one
 * at the last. With no items nothing is handled.
 */
export function moveCursor(key: string, cursor: number | null, count: number, { axis = 'both', step = 1 }: MoveOptions = {}): number | null | undefined {
	if (count <= 0) return undefined;
	const last = count - 1;
	if (key === 'Escape') return null;
	if (key === 'Home') return 0;
	if (key === 'End') return last;
	const d = FORWARD[axis].includes(key) ? step : BACKWARD[axis].includes(key) ? -step : 0;
	if (!d) return undefined;
	const from = cursor ?? (d > 0 ? -1 : last + 1);
	return Math.min(last, Math.max(0, from + d));
}

/**
 * `moveCursor` for a keydown event: prevents the default (scrolling) of a key that moves the
 * cursor and returns the new cursor (the old one for keys that do nothing).
 */
export function keyCursor(e: KeyboardEvent, cursor: number | null, count: number, options?: MoveOptions): number | null {
	const next = moveCursor(e.key, cursor, count, options);
	if (next === undefined) return cursor;
	if (next !== null) e.preventDefault();
	return next;
}

export interface Cell {
	r: number;
	c: number;
}

/**
 * The next cell of a rows x columns grid after `key`: arrows move one cell (clamped; the first
 * arrow only shows the top-left cell), Home and End go to the ends of the current row, Escape
 * gives `null`, other keys `undefined`. With an empty grid nothing is handled.
 */
export function moveCursor2D(key: string, cursor: Cell | null, rows: number, cols: number): Cell | null | undefined {
	if (rows <= 0 || cols <= 0) return undefined;
	if (key === 'Escape') return null;
	const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
	const cur = cursor ?? { r: 0, c: 0 };
	let next: Cell;
	if (Object.hasOwn(moves, key)) {
		const [dr, dc] = moves[key];
		next = cursor ? { r: cur.r + dr, c: cur.c + dc } : cur;
	} else if (key === 'Home') next = { r: cur.r, c: 0 };
	else if (key === 'End') next = { r: cur.r, c: cols - 1 };
	else return undefined;
	return { r: Math.min(rows - 1, Math.max(0, next.r)), c: Math.min(cols - 1, Math.max(0, next.c)) };
}

/** `moveCursor2D` for a keydown event (see `keyCursor`). */
export function keyCursor2D(e: KeyboardEvent, cursor: Cell | null, rows: number, cols: number): Cell | null {
	const next = moveCursor2D(e.key, cursor, rows, cols);
	if (next === undefined) return cursor;
	if (next !== null) e.preventDefault();
	return next;
}

/** A pointer event's position in the viewBox units of the SVG it is over (width x height). */
export function svgPoint(e: PointerEvent, width: number, height: number): { x: number; y: number } {
	const rect = (e.currentTarget as Element).getBoundingClientRect();
	return { x: ((e.clientX - rect.left) / rect.width) * width, y: ((e.clientY - rect.top) / rect.height) * height };
}

/** The index of the band of `size` starting at `start` that holds `pos`, or null outside the `count` bands. */
export function bandIndex(pos: number, start: number, size: number, count: number): number | null {
	const i = Math.floor((pos - start) / size);
	return i >= 0 && i < count ? i : null;
}

/** The index of the value nearest `v` (the first of ties; 0 for an empty list). */
export function nearestIndex(values: readonly number[], v: number): number {
	let best = 0;
	for (let i = 1; i < values.length; i++) if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) best = i;
	return best;
}
