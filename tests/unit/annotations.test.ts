import { describe, expect, it } from 'vitest';
import { layoutMarkers, numberAnnotations } from '../../src/lib/charts/annotations';

const years = Array.from({ length: 12 }, (_, i) => 2014 + i);
// The nine key dates of data/events.json as x = year + (month - 1) / 12.
const events = [2008 + 9 / 12, 2013 + 6 / 12, 2014 + 3 / 12, 2016 + 8 / 12, 2018 + 5 / 12, 2022, 2022 + 5 / 12, 2023 + 2 / 12, 2023].map((x, i) => ({ x, label: `e${i}` }));

describe('numberAnnotations', () => {
	it('keeps those on the axis, sorted and numbered from 1', () => {
		const got = numberAnnotations(events, years);
		expect(got.map((a) => a.label)).toEqual(['e2', 'e3', 'e4', 'e5', 'e6', 'e8', 'e7']);
		expect(got.map((a) => a.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(numberAnnotations(events, [])).toEqual([]);
	});
});

describe('layoutMarkers', () => {
	it('never puts two markers of one row closer than their size, at any width', () => {
		for (const width of [240, 360, 720, 1200]) {
			const x0 = 2008;
			const toPx = (x: number) => ((x - x0) / (2025 - x0)) * width;
			const got = layoutMarkers(numberAnnotations(events, Array.from({ length: 18 }, (_, i) => x0 + i)), toPx, width, 16);
			expect(got).toHaveLength(9);
			for (const a of got) for (const b of got) if (a !== b && a.row === b.row) expect(Math.abs(a.px - b.px)).toBeGreaterThanOrEqual(18);
		}
	});

	it('clamps markers past the end of the axis', () => {
		expect(layoutMarkers([{ x: 10 }], (x) => x * 100, 500, 16)[0].px).toBe(500);
	});
});
