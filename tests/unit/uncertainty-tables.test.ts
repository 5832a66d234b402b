/**
 * Interval columns in the charts' tables. Expected limits: SciPy 1.17, chi2.ppf(0.025, 2x) / 2 and
 * chi2.ppf(0.975, 2x + 2) / 2, times the base over the denominator.
 */
import { describe, expect, it } from 'vitest';
import { overTimeTable } from '../../src/lib/views/allegations';
import { byYearTable } from '../../src/lib/views/recommendations';
import { tableToCsv } from '../../src/lib/charts/table';
import type { OverTime } from '../../src/lib/queries/allegations';

const d: OverTime = {
	measure: 'per_residents',
	period: 'year',
	points: [
		{ x: 2020, year: 2020, quarter: null, count: 5, denominator: 200_000, value: 2.5 },
		{ x: 2021, year: 2021, quarter: null, count: 0, denominator: 200_000, value: 0 },
		{ x: 2022, year: 2022, quarter: null, count: 7, denominator: null, value: null }
	],
	quarterWithheld: [],
	yearWithheld: 0
};
const labels = { period: 'P', count: 'C', denominator: 'D', rate: 'R', low: 'Low', high: 'High' };

describe('over-time table: a 95% interval for each year’s rate', () => {
	it('exact Poisson limits per 100,000 residents, none without a denominator', () => {
		const t = overTimeTable(d, labels);
		expect(t.columns.map((c) => c.key)).toEqual(['period', 'count', 'denominator', 'rate', 'ci95_low', 'ci95_high']);
		// x = 5: [1.6234863901184207, 11.66833207932267] / 200,000 × 100,000.
		expect(t.rows[0].ci95_low).toBeCloseTo(0.812, 3);
		expect(t.rows[0].ci95_high).toBeCloseTo(5.834, 3);
		// x = 0: [0, 3.6888794541139354] / 2.
		expect(t.rows[1].ci95_low).toBe(0);
		expect(t.rows[1].ci95_high).toBeCloseTo(1.844, 3);
		expect(t.rows[2].ci95_low).toBeNull();
		expect(t.rows[2].ci95_high).toBeNull();
	});
	it('the CSV names the columns ci95_low and ci95_high; counts have none', () => {
		expect(tableToCsv(overTimeTable(d, labels)).split('\r\n')[0]).toBe('P,C,D,R,ci95_low,ci95_high');
		expect(overTimeTable({ ...d, measure: 'count' }, labels).columns.map((c) => c.key)).toEqual(['period', 'count']);
	});
});

describe('implementation by year: a Wilson 95% interval for the share implemented', () => {
	it('Newcombe (1998) table I: 81 of 263 → [0.2553, 0.3662]; 0 of 20 → [0, 0.1611]', () => {
		const t = byYearTable(
			[
				{ year: 2019, issued: 263, implemented: 81, partially: 10, shareImplemented: 81 / 263, shareImplementedOrPartially: 91 / 263 },
				{ year: 2020, issued: 20, implemented: 0, partially: 0, shareImplemented: 0, shareImplementedOrPartially: 0 }
			],
			{ year: 'Y', issued: 'I', implemented: 'Im', partially: 'P', share: 'S', shareOrPartially: 'SP', low: 'L', high: 'H' }
		);
		expect(t.columns.map((c) => c.csv ?? c.key)).toEqual(['year', 'issued', 'implemented', 'partially', 'share_implemented', 'ci95_low', 'ci95_high', 'share_implemented_or_partially']);
		expect(t.rows[0].ci95_low).toBeCloseTo(0.2553, 4);
		expect(t.rows[0].ci95_high).toBeCloseTo(0.3662, 4);
		expect(t.rows[1].ci95_low).toBe(0);
		expect(t.rows[1].ci95_high).toBeCloseTo(0.1611, 4);
	});
});
