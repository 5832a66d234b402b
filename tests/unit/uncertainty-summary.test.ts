/**
 * Summaries call a region above or below the national level only when its 95% interval excludes
 * it, and name regions resting on fewer than 20 records, in en, ru and kk.
 */
import { describe, expect, it } from 'vitest';
import { classify, uncertaintySummary, type Estimate } from '../../src/lib/views/uncertainty';
import { FEW_CASES } from '../../src/lib/stats/intervals';

// National 4.0. Alpha: 6.0 [5.1, 7.0] above; Beta: 2.0 [1.5, 2.6] below; Gamma: 6.5 [3.2, 11.9] highest
// value but its interval includes 4.0 (few cases); Delta: 3.9 [3.5, 4.3] within; Omega: no data.
const rows: Estimate[] = [
	{ name: 'Alpha', value: 6, low: 5.1, high: 7, n: 150 },
	{ name: 'Beta', value: 2, low: 1.5, high: 2.6, n: 60 },
	{ name: 'Gamma', value: 6.5, low: 3.2, high: 11.9, n: 12 },
	{ name: 'Delta', value: 3.9, low: 3.5, high: 4.3, n: 400 },
	{ name: 'Omega', value: null, low: null, high: null, n: 0 }
];
const fmt = (v: number) => v.toFixed(1);

describe('classify', () => {
	it('by the interval, not the point value', () => {
		const c = classify(rows, 4);
		expect(c.above.map((r) => r.name)).toEqual(['Alpha']);
		expect(c.below.map((r) => r.name)).toEqual(['Beta']);
		expect(c.within.map((r) => r.name)).toEqual(['Gamma', 'Delta']);
		expect(c.few.map((r) => r.name)).toEqual(['Gamma']);
		expect(FEW_CASES).toBe(20);
	});
	it('an interval touching the reference is not a difference', () => {
		expect(classify([{ name: 'X', value: 5, low: 4, high: 6, n: 50 }], 4).within).toHaveLength(1);
	});
});

describe('uncertaintySummary', () => {
	it('en', () => {
		const s = uncertaintySummary(rows, 4, { locale: 'en', format: fmt, kind: 'rate' });
		expect(s).toBe(
			'National rate: 4.0 allegations per 100,000 residents a year. ' +
				'Above the national level (the whole 95% confidence interval lies above it): Alpha (6.0). ' +
				'Below the national level (the whole 95% confidence interval lies below it): Beta (2.0). ' +
				'Not clearly different from the national level (the 95% confidence interval includes it): 2 of 4. ' +
				'Based on few cases (fewer than 20 allegations), so the rate is uncertain: Gamma.'
		);
		expect(s).not.toMatch(/highest|lowest/i);
	});
	it('ru and kk name the same regions in the same roles', () => {
		const ru = uncertaintySummary(rows, 4, { locale: 'ru', format: fmt, kind: 'rate' });
		expect(ru).toContain('Выше общенационального уровня (весь 95-процентный доверительный интервал лежит выше него): Alpha (6.0).');
		expect(ru).toContain('Ниже общенационального уровня (весь 95-процентный доверительный интервал лежит ниже него): Beta (2.0).');
		expect(ru).toContain(': 2 из 4.');
		expect(ru).toContain('Мало случаев (меньше 20 сообщений), поэтому показатель неустойчив: Gamma.');
		const kk = uncertaintySummary(rows, 4, { locale: 'kk', format: fmt, kind: 'rate' });
		expect(kk).toContain('Жалпыұлттық деңгейден жоғары (95 пайыздық сенімділік интервалы толығымен одан жоғары): Alpha (6.0).');
		expect(kk).toContain('Жалпыұлттық деңгейден төмен (95 пайыздық сенімділік интервалы толығымен одан төмен): Beta (2.0).');
		expect(kk).toContain('4 өңірдің 2 өңірі.');
		expect(kk).toContain('(хабарламалар саны 20-дан аз)');
		for (const s of [ru, kk]) expect(s).not.toContain('Gamma (');
	});
	it('no region clearly different: one sentence says so; shares speak of records', () => {
		const within = rows.filter((r) => r.name === 'Delta' || r.name === 'Gamma');
		expect(uncertaintySummary(within, 4, { locale: 'en', format: fmt, kind: 'share' })).toBe(
			"All regions together: 4.0. No region is clearly above or below the national level: every region's 95% confidence interval includes it. " +
				'Based on few cases (fewer than 20 records), so the share is uncertain: Gamma.'
		);
		expect(uncertaintySummary(within, null, { locale: 'en', format: fmt, kind: 'rate' })).toBe('');
	});
});
