import { describe, expect, it } from 'vitest';
import { bandIndex, moveCursor, moveCursor2D, nearestIndex, type Cell, type MoveOptions } from '../../src/lib/charts/keyboard';

describe('moveCursor', () => {
	const cases: [string, number | null, number, MoveOptions | undefined, number | null | undefined][] = [
		// key, cursor, count, options, expected
		['ArrowRight', null, 5, undefined, 0],
		['ArrowDown', null, 5, undefined, 0],
		['ArrowLeft', null, 5, undefined, 4],
		['ArrowUp', null, 5, undefined, 4],
		['ArrowRight', 2, 5, undefined, 3],
		['ArrowDown', 2, 5, undefined, 3],
		['ArrowLeft', 2, 5, undefined, 1],
		['ArrowUp', 2, 5, undefined, 1],
		['ArrowRight', 4, 5, undefined, 4],
		['ArrowLeft', 0, 5, undefined, 0],
		['Home', 3, 5, undefined, 0],
		['Home', null, 5, undefined, 0],
		['End', 1, 5, undefined, 4],
		['End', null, 5, undefined, 4],
		['Escape', 3, 5, undefined, null],
		['Escape', null, 5, undefined, null],
		['Enter', 3, 5, undefined, undefined],
		['a', null, 5, undefined, undefined],
		['ArrowRight', null, 0, undefined, undefined],
		['Escape', null, 0, undefined, undefined],
		['Home', null, 0, undefined, undefined],
		['ArrowRight', null, 1, undefined, 0],
		['ArrowLeft', null, 1, undefined, 0],
		// Left/Right only (line charts over x)
		['ArrowRight', 1, 5, { axis: 'horizontal' }, 2],
		['ArrowDown', 1, 5, { axis: 'horizontal' }, undefined],
		['ArrowUp', 1, 5, { axis: 'horizontal' }, undefined],
		['End', 1, 5, { axis: 'horizontal' }, 4],
		// Up/Down only
		['ArrowDown', 1, 5, { axis: 'vertical' }, 2],
		['ArrowRight', 1, 5, { axis: 'vertical' }, undefined],
		// bigger steps (Shift), clamped; from no cursor the step counts from before the first item
		['ArrowRight', 2, 30, { axis: 'horizontal', step: 5 }, 7],
		['ArrowLeft', 2, 30, { axis: 'horizontal', step: 5 }, 0],
		['ArrowRight', 27, 30, { axis: 'horizontal', step: 5 }, 29],
		['ArrowRight', null, 30, { axis: 'horizontal', step: 5 }, 4],
		['ArrowLeft', null, 30, { axis: 'horizontal', step: 5 }, 25],
		['Home', 12, 30, { axis: 'horizontal', step: 5 }, 0]
	];
	it.each(cases)('%s from %s over %s items (%o) -> %s', (key, cursor, count, options, expected) => {
		expect(moveCursor(key, cursor, count, options)).toBe(expected);
	});
});

describe('moveCursor2D', () => {
	const c = (r: number, col: number): Cell => ({ r, c: col });
	const cases: [string, Cell | null, number, number, Cell | null | undefined][] = [
		// key, cursor, rows, cols, expected
		['ArrowRight', null, 3, 4, c(0, 0)],
		['ArrowDown', null, 3, 4, c(0, 0)],
		['ArrowUp', null, 3, 4, c(0, 0)],
		['ArrowRight', c(1, 1), 3, 4, c(1, 2)],
		['ArrowLeft', c(1, 1), 3, 4, c(1, 0)],
		['ArrowDown', c(1, 1), 3, 4, c(2, 1)],
		['ArrowUp', c(1, 1), 3, 4, c(0, 1)],
		['ArrowRight', c(1, 3), 3, 4, c(1, 3)],
		['ArrowDown', c(2, 0), 3, 4, c(2, 0)],
		['ArrowUp', c(0, 2), 3, 4, c(0, 2)],
		['ArrowLeft', c(2, 0), 3, 4, c(2, 0)],
		['Home', c(2, 3), 3, 4, c(2, 0)],
		['End', c(2, 1), 3, 4, c(2, 3)],
		['Home', null, 3, 4, c(0, 0)],
		['End', null, 3, 4, c(0, 3)],
		['Escape', c(1, 1), 3, 4, null],
		['Enter', c(1, 1), 3, 4, undefined],
		['ArrowRight', null, 0, 4, undefined],
		['Escape', null, 3, 0, undefined]
	];
	it.each(cases)('%s from %o in %sx%s -> %o', (key, cursor, rows, cols, expected) => {
		expect(moveCursor2D(key, cursor, rows, cols)).toEqual(expected);
	});
});

describe('bandIndex', () => {
	const cases: [number, number, number, number, number | null][] = [
		// pos, start, size, count, expected
		[4, 4, 40, 3, 0],
		[43.9, 4, 40, 3, 0],
		[44, 4, 40, 3, 1],
		[123.9, 4, 40, 3, 2],
		[124, 4, 40, 3, null],
		[3.9, 4, 40, 3, null],
		[10, 0, 10, 0, null]
	];
	it.each(cases)('%s in bands of %s from %s (x%s) -> %s', (pos, start, size, count, expected) => {
		expect(bandIndex(pos, start, size, count)).toBe(expected);
	});
});

describe('nearestIndex', () => {
	const cases: [number[], number, number][] = [
		[[2010, 2011, 2012], 2011.2, 1],
		[[2010, 2011, 2012], 2011.5, 1],
		[[2010, 2011, 2012], 2011.6, 2],
		[[2010, 2011, 2012], 1990, 0],
		[[2010, 2011, 2012], 2100, 2],
		[[], 5, 0]
	];
	it.each(cases)('%o near %s -> %s', (values, v, expected) => {
		expect(nearestIndex(values, v)).toBe(expected);
	});
});
