import { describe, expect, it } from 'vitest';
import { atRiskAt, curvePoints, kaplanMeier, survivalAt, timeToShare, type SurvivalObservation } from '../../src/lib/queries/kaplan-meier';

/**
 * Textbook example: remission times (weeks) of the 6-MP group in the Freireich et al. (1963)
 * leukaemia trial, as analysed by Gehan (1965), Kleinbaum & Klein "Survival Analysis" ch. 2 and
 * Collett "Modelling Survival Data" ch. 2. "+" = censored:
 *   6, 6, 6, 6+, 7, 9+, 10, 10+, 11+, 13, 16, 17+, 19+, 20+, 22, 23, 25+, 32+, 32+, 34+, 35+
 * Hand computation (product limit):
 *   t   n   d  S(t)
 *   6   21  3  18/21                  = 0.8571
 *   7   17  1  0.8571 * 16/17         = 0.8067
 *   10  15  1  0.8067 * 14/15         = 0.7529
 *   13  12  1  0.7529 * 11/12         = 0.6902
 *   16  11  1  0.6902 * 10/11         = 0.6275
 *   22   7  1  0.6275 * 6/7           = 0.5378
 *   23   6  1  0.5378 * 5/6           = 0.4482
 */
const SIX_MP = '6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+'
	.split(' ')
	.map((s): SurvivalObservation => ({ time: Number(s.replace('+', '')), event: !s.endsWith('+') }));

const HAND = [
	{ time: 6, atRisk: 21, events: 3, survival: 0.8571 },
	{ time: 7, atRisk: 17, events: 1, survival: 0.8067 },
	{ time: 10, atRisk: 15, events: 1, survival: 0.7529 },
	{ time: 13, atRisk: 12, events: 1, survival: 0.6902 },
	{ time: 16, atRisk: 11, events: 1, survival: 0.6275 },
	{ time: 22, atRisk: 7, events: 1, survival: 0.5378 },
	{ time: 23, atRisk: 6, events: 1, survival: 0.4482 }
];

describe('kaplanMeier (6-MP leukaemia remission data)', () => {
	const curve = kaplanMeier(SIX_MP);

	it('counts subjects, events and censorings', () => {
		expect(curve).toMatchObject({ n: 21, events: 9, censored: 12, maxTime: 35 });
	});

	it.each(HAND)('at t=$time: n=$atRisk at risk, d=$events, S=$survival', ({ time, atRisk, events, survival }) => {
		const step = curve.steps.find((s) => s.time === time)!;
		expect(step.atRisk).toBe(atRisk);
		expect(step.events).toBe(events);
		expect(step.survival).toBeCloseTo(survival, 4);
	});

	it.each([
		{ t: 0, s: 1 },
		{ t: 5.9, s: 1 },
		{ t: 6, s: 0.8571 },
		{ t: 9, s: 0.8067 },
		{ t: 12, s: 0.7529 },
		{ t: 22.5, s: 0.5378 },
		{ t: 35, s: 0.4482 }
	])('survivalAt($t) = $s', ({ t, s }) => {
		expect(survivalAt(curve, t)).toBeCloseTo(s, 4);
	});

	it('is undefined beyond the last observed time', () => {
		expect(survivalAt(curve, 36)).toBeNull();
	});

	it.each([
		{ p: 0.25, t: 13 }, // first S <= 0.75 (S(10) = 0.7529 is not yet)
		{ p: 0.5, t: 23 }, // the median: first S <= 0.5
		{ p: 0.75, t: null } // S never falls to 0.25: not reached
	])('time by which $p had the event = $t', ({ p, t }) => {
		expect(timeToShare(curve, p)).toBe(t);
	});

	it.each([
		{ t: 0, n: 21 },
		{ t: 12, n: 12 },
		{ t: 24, n: 5 },
		{ t: 36, n: 0 }
	])('number at risk at $t = $n', ({ t, n }) => {
		expect(atRiskAt(curve, t)).toBe(n);
	});

	it('gives step points from (0, 1) to the last observed time', () => {
		const pts = curvePoints(curve);
		expect(pts[0]).toEqual({ time: 0, survival: 1 });
		expect(pts.map((p) => p.time)).toEqual([0, 6, 7, 10, 13, 16, 22, 23, 35]);
		expect(pts[pts.length - 1].survival).toBeCloseTo(0.4482, 4);
	});
});

describe('kaplanMeier edge cases', () => {
	it('weights (count) equal repeated observations', () => {
		const grouped = kaplanMeier([
			{ time: 6, event: true, count: 3 },
			{ time: 6, event: false },
			...SIX_MP.slice(4)
		]);
		expect(grouped.steps).toEqual(kaplanMeier(SIX_MP).steps);
	});

	it.each([
		{ name: 'no observations', obs: [], steps: [] as number[], median: null },
		{ name: 'all censored', obs: [{ time: 3, event: false }, { time: 5, event: false }], steps: [1, 1], median: null },
		{ name: 'all events', obs: [{ time: 1, event: true }, { time: 2, event: true }], steps: [0.5, 0], median: 1 },
		{
			name: 'events at time 0 (implemented in the month issued)',
			obs: [{ time: 0, event: true }, { time: 0, event: false }, { time: 4, event: true }, { time: 8, event: false }],
			steps: [0.75, 0.375, 0.375],
			median: 4
		}
	])('$name', ({ obs, steps, median }) => {
		const c = kaplanMeier(obs);
		expect(c.steps.map((s) => s.survival)).toEqual(steps.map((s) => expect.closeTo(s, 10)));
		expect(timeToShare(c, 0.5)).toBe(median);
	});

	it('events come before censorings tied at the same time', () => {
		const c = kaplanMeier([{ time: 2, event: true }, { time: 2, event: false }]);
		expect(c.steps[0]).toMatchObject({ atRisk: 2, events: 1, censored: 1, survival: 0.5 });
	});

	it('rejects negative times', () => {
		expect(() => kaplanMeier([{ time: -1, event: true }])).toThrow(RangeError);
	});
});
