import { describe, expect, it } from 'vitest';
import { biggestTypeChange, byTypeSummary, categorySummary, categoryTable, filterNotes, outcomesSummary, overTimeTable, periodKey } from '../../src/lib/views/allegations';
import type { OverTime } from '../../src/lib/queries/allegations';

const echo = (p: Record<string, string | number>) => JSON.stringify(p);

describe('allegations view helpers', () => {
	it('periodKey names years and quarters', () => {
		expect(periodKey({ year: 2019, quarter: null })).toBe('2019');
		expect(periodKey({ year: 2019, quarter: 3 })).toBe('2019-Q3');
	});

	it('overTimeTable keeps a missing rate null and adds denominators only for rates', () => {
		const d: OverTime = {
			measure: 'per_detainees',
			period: 'year',
			points: [
				{ x: 2020, year: 2020, quarter: null, count: 5, denominator: 1000, value: 5 },
				{ x: 2021, year: 2021, quarter: null, count: 7, denominator: null, value: null }
			],
			quarterWithheld: [],
			yearWithheld: 0
		};
		const t = overTimeTable(d, { period: 'P', count: 'C', denominator: 'D', rate: 'R' });
		expect(t.columns.map((c) => c.key)).toEqual(['period', 'count', 'denominator', 'rate']);
		expect(t.rows).toEqual([
			{ period: '2020', count: 5, denominator: 1000, rate: 5 },
			{ period: '2021', count: 7, denominator: null, rate: null }
		]);
		expect(overTimeTable({ ...d, measure: 'count' }, { period: 'P', count: 'C', denominator: 'D', rate: 'R' }).columns).toHaveLength(2);
	});

	it('biggestTypeChange compares the last two years in absolute terms', () => {
		const d = {
			years: [2023, 2024, 2025],
			types: [
				{ code: 'torture', counts: [50, 100, 90], total: 240 },
				{ code: 'cidt', counts: [10, 20, 45], total: 75 },
				{ code: null, counts: [1, 1, 1], total: 3 }
			]
		};
		expect(biggestTypeChange(d)).toEqual({ code: 'cidt', from: 20, to: 45 });
		expect(biggestTypeChange({ years: [2025], types: d.types })).toBeNull();
		const text = byTypeSummary(d, 'en', (c) => c ?? 'withheld', { summary: echo, change: echo });
		expect(text).toContain('"top":"torture"');
		expect(text).toContain('"type":"cidt"');
		expect(text).toContain('"delta":"+25"');
	});

	it('categoryTable and categorySummary keep withheld codes as their own row', () => {
		const rows = [
			{ code: 'police', n: 30 },
			{ code: null, n: 10 }
		];
		expect(categoryTable(rows, (c) => c ?? 'W', { category: 'Cat', code: 'Code', count: 'N', share: 'S' }).rows).toEqual([
			{ category: 'police', code: 'police', n: 30, share: 0.75 },
			{ category: 'W', code: '', n: 10, share: 0.25 }
		]);
		expect(categorySummary(rows, 'en', (c) => c ?? 'W', echo)).toBe(echo({ top: 'police', n: '30', share: '75%', total: '40' }));
	});

	it('outcomesSummary gives the share reaching each stage', () => {
		const steps = [
			{ stage: 'registered' as const, n: 200, share: 1 },
			{ stage: 'under_investigation' as const, n: 100, share: 0.5 },
			{ stage: 'sent_to_court' as const, n: 9, share: 0.045 },
			{ stage: 'conviction' as const, n: 5, share: 0.025 }
		];
		expect(JSON.parse(outcomesSummary(steps, 'en', echo))).toEqual({ k: 200, total: '200', inv: '100', invShare: '50%', court: '9', courtShare: '4.5%', conv: '5', convShare: '2.5%' });
	});

	it('filterNotes names withheld values only under the matching filter, and new regions', () => {
		const msgs = { regionWithheld: echo, ftypeWithheld: echo, newRegion: echo };
		const base = { withheld: { region: 12, ftype: 3, year: 4 }, newRegions: [], regionFilter: [] as string[], ftypeFilter: [] as string[] };
		expect(filterNotes(base, 'en', (c) => c, (d) => d, msgs)).toEqual([]);
		const notes = filterNotes(
			{ ...base, regionFilter: ['KZ-62'], newRegions: [{ code: 'KZ-62', created: '2022-06-08', firstFullYear: 2023 }] },
			'en',
			(c) => (c === 'KZ-62' ? 'Ulytau' : c),
			(d) => d,
			msgs
		);
		expect(notes).toEqual([echo({ k: 12, n: '12' }), echo({ region: 'Ulytau', date: '2022-06-08', year: '2023' })]);
	});
});

describe('formatEventDate', () => {
	it('formats at the precision given, numerically in Kazakh', async () => {
		const { formatEventDate } = await import('../../src/lib/views/event-dates');
		expect(formatEventDate('kk', '2022-06-08', 'day')).toBe('08.06.2022');
		expect(formatEventDate('kk', '2014-04-01', 'month')).toBe('04.2014');
		expect(formatEventDate('en', '2023-01-01', 'year')).toBe('2023');
		expect(formatEventDate('en', '2014-04-01', 'month')).toBe('Apr 2014');
	});
});
