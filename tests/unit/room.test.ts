/**
 * The chart context (src/lib/charts/room.svelte.ts): the plot box, the y axis's margin, label
 * fitting through the room, and the width a chart draws at (its default until measured).
 */
import { describe, expect, it } from 'vitest';
import { plotBox, yAxisMargin, Room, ChartSpace } from '../../src/lib/charts/room.svelte';
import { fitText, textWidth, tickAnchor } from '../../src/lib/charts/text-fit.svelte';

describe('plotBox', () => {
	it('gives the plot edges, its size and the scale ranges', () => {
		const b = plotBox(720, 320, { top: 16, right: 16, bottom: 28, left: 40 });
		expect(b).toEqual({ width: 720, height: 320, left: 40, right: 704, top: 16, bottom: 292, innerWidth: 664, innerHeight: 276, x: [40, 704], y: [292, 16] });
	});

	it('keeps an x range at least minWidth wide, and no negative size, when the chart is narrower than its margins', () => {
		const b = plotBox(50, 100, { top: 4, right: 40, bottom: 4, left: 30 }, 10);
		expect(b.right).toBe(10);
		expect(b.x).toEqual([30, 40]);
		expect(b.innerWidth).toBe(0);
		expect(plotBox(50, 6, { top: 4, right: 0, bottom: 4, left: 0 }).innerHeight).toBe(0);
	});

	it('with room enough, minWidth changes nothing', () => {
		const m = { top: 0, right: 64, bottom: 0, left: 4 };
		expect(plotBox(360, 100, m, 36)).toEqual(plotBox(360, 100, m));
	});
});

describe('yAxisMargin', () => {
	const fmt = (t: number) => String(t);
	it('holds the longest tick label (11 px text and 10 px to the plot)', () => {
		const ticks = [0, 2000, 4000, 6000];
		expect(yAxisMargin(ticks, fmt)).toBeCloseTo(textWidth('6000', 11) + 10, 9);
	});
	it('is at least 24 px and at most 52 px', () => {
		expect(yAxisMargin([0, 1], fmt)).toBe(24);
		expect(yAxisMargin([0, 1e12], fmt)).toBe(52);
		expect(yAxisMargin([], fmt)).toBe(24);
	});
	it('takes other limits, size and padding', () => {
		expect(yAxisMargin([0, 1e9], fmt, { max: 80 })).toBeCloseTo(textWidth('1000000000', 11) + 10, 9);
		expect(yAxisMargin([5], fmt, { size: 20, pad: 0, min: 0 })).toBeCloseTo(textWidth('5', 20), 9);
	});
});

describe('Room and a chart’s view of it', () => {
	it('draws at the chart’s default width until measured, then at the measured width', () => {
		const room = new Room();
		const a = room.for(720);
		const b = room.for(560);
		expect(room.width).toBeUndefined();
		expect(a.measured).toBeUndefined();
		expect(a.width).toBe(720);
		expect(b.width).toBe(560);
		room.width = 333;
		expect(a.width).toBe(333);
		expect(b.width).toBe(333);
		expect(a.measured).toBe(333);
	});

	it('gives the plot box at its width', () => {
		const space = new ChartSpace(new Room(), 640);
		const margin = { top: 12, right: 16, bottom: 40, left: 52 };
		expect(space.plot(340, margin, 10)).toEqual(plotBox(640, 340, margin, 10));
		space.room.width = 300;
		expect(space.plot(340, margin).right).toBe(284);
	});

	it('fits labels as text-fit does, and anchors tick labels inside its width', () => {
		const space = new Room().for(720);
		const long = 'Солтүстік Қазақстан облысы';
		expect(space.fit(long, 80, 12)).toBe(fitText(long, 80, 12));
		expect(space.textWidth(long, 12)).toBe(textWidth(long, 12));
		expect(space.yAxisMargin([0, 100], String)).toBe(yAxisMargin([0, 100], String));
		for (const x of [0, 5, 360, 715, 720]) expect(space.anchor(x, '2025')).toBe(tickAnchor(x, 0, 720, textWidth('2025', 11) / 2));
		expect(space.anchor(0, '2025')).toBe('start');
		expect(space.anchor(720, '2025')).toBe('end');
	});
});
