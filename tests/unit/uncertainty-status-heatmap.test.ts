/**
 * The recommendation status by region and the conditions heatmap no longer rank regions: their
 * tables carry each share's Wilson 95% interval, and their summaries call a region above or below
 * the whole only when its interval excludes the whole's share, in en, ru and kk.
 * Expected interval limits are computed here, independently, from the closed form of the Wilson
 * score interval (z = 1.959963984540054).
 */
import { describe, expect, it } from 'vitest';
import { statusEstimates, statusSummary, statusTable } from '../../src/lib/views/recommendations';
import { heatmapRegionEstimates, heatmapTable } from '../../src/lib/views/conditions';
import { uncertaintySummary } from '../../src/lib/views/uncertainty';
import { pivotStatus, STATUS_ORDER } from '../../src/lib/queries/recommendations';
import type { HeatmapCell } from '../../src/lib/queries/conditions';
import { m } from '../../src/lib/paraglide/messages';

const Z = 1.959963984540054;
function wilson(k: number, n: number) {
	const p = k / n;
	const centre = (p + (Z * Z) / (2 * n)) / (1 + (Z * Z) / n);
	const half = ((Z / (1 + (Z * Z) / n)) * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n)));
	return { low: centre - half, high: centre + half };
}
const pct = (s: number) => `${Math.round(s * 100)}%`;
const int = (n: number) => String(n);

// Whole: 190 of 500 implemented (38%). A: 90/100 (interval ~[0.83, 0.94], above); B: 10/100 (below);
// C: 88/290 (30%, interval ~[0.26, 0.36], below); D: 2/10 (few records: not clearly different).
const groups = pivotStatus([
	{ code: 'A', status: 'implemented', n: 90 },
	{ code: 'A', status: 'rejected', n: 10 },
	{ code: 'B', status: 'implemented', n: 10 },
	{ code: 'B', status: 'not_started', n: 90 },
	{ code: 'C', status: 'implemented', n: 88 },
	{ code: 'C', status: 'in_progress', n: 202 },
	{ code: 'D', status: 'implemented', n: 2 },
	{ code: 'D', status: 'no_information', n: 8 }
]);
const name = (c: string | null) => (c == null ? 'withheld' : `Region ${c}`);

describe('recommendation status by region', () => {
	it('the table has each share with its Wilson 95% interval', () => {
		const t = statusTable(groups, name, (s) => s, { group: 'G', total: 'T', shareImplemented: 'S', low: 'L', high: 'H' });
		expect(t.columns.map((c) => c.key)).toEqual(['group', 'total', ...STATUS_ORDER, 'share_implemented', 'ci95_low', 'ci95_high']);
		for (const row of t.rows) {
			const w = wilson(Number(row.implemented), Number(row.total));
			expect(row.ci95_low).toBeCloseTo(w.low, 4);
			expect(row.ci95_high).toBeCloseTo(w.high, 4);
		}
		// Without the interval labels, the table is as before.
		expect(statusTable(groups, name, (s) => s, { group: 'G', total: 'T', shareImplemented: 'S' }).columns.map((c) => c.key)).not.toContain('ci95_low');
	});

	const summary = (locale: 'en' | 'ru' | 'kk') =>
		statusSummary(groups, name, { int, pct }, {
			summary: () => 'RANKED',
			total: (p) => m.rec_status_summary_total(p, { locale }),
			compare: (overall) => uncertaintySummary(statusEstimates(groups, name), overall, { locale, format: pct, kind: 'share', reference: false })
		});

	it('names regions above and below only by their intervals, and flags few records (en)', () => {
		const s = summary('en');
		expect(s).toBe(
			'190 of 500 recommendations are implemented (38%). ' +
				'Above the national level (the whole 95% confidence interval lies above it): Region A (90%). ' +
				'Below the national level (the whole 95% confidence interval lies below it): Region B (10%), Region C (30%). ' +
				'Not clearly different from the national level (the 95% confidence interval includes it): 1 of 4. ' +
				'Based on few cases (fewer than 20 records), so the share is uncertain: Region D.'
		);
		expect(s).not.toMatch(/highest|lowest|RANKED/);
	});

	it('ru and kk say the same', () => {
		const ru = summary('ru');
		expect(ru).toMatch(/^Исполнено 190 из 500 рекомендаций \(38%\)\. /);
		expect(ru).toContain(': Region A (90%).');
		expect(ru).toContain(': Region B (10%), Region C (30%).');
		expect(ru).toContain('Мало случаев (меньше 20 записей), поэтому доля неустойчива: Region D.');
		const kk = summary('kk');
		expect(kk).toMatch(/^500 ұсынымның 190 орындалды \(38%\)\. /);
		expect(kk).toContain(': Region A (90%).');
		expect(kk).toContain('(жазбалар саны 20-дан аз)');
		for (const s of [ru, kk]) expect(s).not.toContain('Region D (');
	});

	it('one region alone is not compared with itself', () => {
		const one = pivotStatus([{ code: 'A', status: 'implemented', n: 3 }]);
		const s = statusSummary(one, name, { int, pct }, { summary: () => 'RANKED', total: (p) => m.rec_status_summary_total(p, { locale: 'en' }), compare: () => 'COMPARED' });
		expect(s).toBe('3 of 3 recommendations are implemented (100%).');
	});
});

describe('conditions heatmap', () => {
	const cells: HeatmapCell[] = [
		{ region_code: 'A', indicator: 'i1', n: 60, met: 54, share: 0.9 },
		{ region_code: 'A', indicator: 'i2', n: 40, met: 36, share: 0.9 },
		{ region_code: 'B', indicator: 'i1', n: 100, met: 50, share: 0.5 },
		{ region_code: 'B', indicator: 'i2', n: 4, met: 1, share: null },
		{ region_code: null, indicator: 'i1', n: 7, met: 7, share: null }
	];

	it('the table has a Wilson interval for every share shown, none where the share is withheld', () => {
		const rows = [{ key: 'A', label: 'A' }, { key: 'B', label: 'B' }, { key: '', label: 'withheld' }];
		const cols = [{ key: 'i1', label: 'one' }, { key: 'i2', label: 'two' }];
		const t = heatmapTable(cells, rows, cols, { region: 'R', indicator: 'I', n: 'N', met: 'M', share: 'S', low: 'L', high: 'H' });
		expect(t.columns.map((c) => c.key)).toEqual(['region', 'indicator', 'n', 'met', 'share', 'ci95_low', 'ci95_high']);
		for (const row of t.rows) {
			if (row.share == null) {
				expect(row.ci95_low).toBeNull();
				continue;
			}
			const w = wilson(Number(row.met), Number(row.n));
			expect(row.ci95_low).toBeCloseTo(w.low, 4);
			expect(row.ci95_high).toBeCloseTo(w.high, 4);
		}
	});

	it('regions are pooled over the indicators, the withheld region left out', () => {
		const e = heatmapRegionEstimates(cells, (c) => `Region ${c}`);
		expect(e.map((r) => [r.name, r.n, r.value])).toEqual([
			['Region A', 100, 0.9],
			['Region B', 104, 51 / 104]
		]);
		const w = wilson(51, 104);
		expect(e[1].low).toBeCloseTo(w.low, 10);
		expect(e[1].high).toBeCloseTo(w.high, 10);
		// Overall 148 of 211 (70%): A lies above, B below, by their intervals.
		const s = uncertaintySummary(e, 148 / 211, { locale: 'en', format: pct, kind: 'share', reference: false });
		expect(s).toBe(
			'Above the national level (the whole 95% confidence interval lies above it): Region A (90%). ' +
				'Below the national level (the whole 95% confidence interval lies below it): Region B (49%).'
		);
	});

	it('the overall sentence in three languages names indicators, not regions', () => {
		const p = { share: '46%', n: '211', lowIndicator: 'x', lowIndicatorShare: '1%', highIndicator: 'y', highIndicatorShare: '2%' };
		expect(m.cond_heatmap_summary_overall(p, { locale: 'en' })).toBe('Overall, 46% of 211 findings met the standard. Compliance was lowest for x (1%) and highest for y (2%).');
		expect(m.cond_heatmap_summary_overall(p, { locale: 'ru' })).toContain('«x» (1%)');
		expect(m.cond_heatmap_summary_overall(p, { locale: 'kk' })).toContain('«y» көрсеткішінде (2%)');
	});
});
