import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/lib/server/engine-node';
import type { Engine } from '../../src/lib/engine/types';
import { whereClause } from '../../src/lib/queries/filters';
import { defaultState } from '../../src/lib/state/view-state';
import { writeSmallDataset, type SmallAllegation } from './helpers/small-dataset';

let engine: Engine;
let rows: SmallAllegation[];
beforeAll(async () => {
	const ds = await writeSmallDataset();
	rows = ds.rows;
	engine = await createNodeEngine({ dataDir: ds.dir });
});
afterAll(() => engine?.close());

const cols = { year: 'report_year', region: 'region_code', ftype: 'facility_type', atype: 'allegation_type' };

describe('whereClause', () => {
	it('is empty for the default state', () => {
		expect(whereClause(defaultState(), cols)).toEqual({ sql: '', params: [] });
	});

	it('binds every value and keeps them out of the SQL text', () => {
		const s = { ...defaultState(), from: 2016, to: 2019, region: ['KZ-75', 'KZ-71'], ftype: ['sizo'] };
		const w = whereClause(s, cols);
		expect(w.sql).not.toMatch(/KZ-|sizo|2016|2019/);
		expect(w.params).toEqual([2016, 2019, 'KZ-75\x1fKZ-71', 'sizo']);
	});

	it('skips filters on request and ignores filters a table lacks', () => {
		const s = { ...defaultState(), region: ['KZ-75'], perp: ['police'] };
		expect(whereClause(s, cols, { skip: ['region'] })).toEqual({ sql: '', params: [] });
	});

	it('filters rows exactly as an independent filter in TypeScript', async () => {
		const s = { ...defaultState(), from: 2016, to: 2021, region: ['KZ-75', 'KZ-19', 'KZ-79'], ftype: ['sizo', 'ivs'], atype: ['torture'] };
		const w = whereClause(s, cols);
		const [got] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM allegations${w.sql}`, w.params);
		const expected = rows.filter(
			(r) =>
				r.report_year >= 2016 &&
				r.report_year <= 2021 &&
				r.region_code !== null &&
				s.region.includes(r.region_code) &&
				s.ftype.includes(r.facility_type) &&
				s.atype.includes(r.allegation_type)
		).length;
		expect(got.n).toBe(expected);
		expect(expected).toBeGreaterThan(0);
	});

	// The year bounds are inclusive. Each state below has rows in its first and its last year, so
	// an exclusive bound (> or <) drops rows and changes the count.
	it('keeps the first and the last year of the range (bounds with rows in them)', async () => {
		const years = [...new Set(rows.map((r) => r.report_year))].sort((a, b) => a - b);
		const states = [
			...years.map((y) => ({ ...defaultState(), from: y, to: y })),
			{ ...defaultState(), from: years[1], to: years[years.length - 2], ftype: ['sizo'] },
			{ ...defaultState(), from: years[2], region: ['KZ-75', 'KZ-71', 'KZ-19'] },
			{ ...defaultState(), to: years[3], atype: ['torture', 'cidt'] }
		];
		for (const s of states) {
			const w = whereClause(s, cols);
			const [got] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM allegations${w.sql}`, w.params);
			const kept = rows.filter(
				(r) =>
					(s.from === null || r.report_year >= s.from) &&
					(s.to === null || r.report_year <= s.to) &&
					(!s.region.length || (r.region_code !== null && s.region.includes(r.region_code))) &&
					(!s.ftype.length || s.ftype.includes(r.facility_type)) &&
					(!s.atype.length || s.atype.includes(r.allegation_type))
			);
			const label = JSON.stringify({ from: s.from, to: s.to, region: s.region, ftype: s.ftype, atype: s.atype });
			// The test can fail: the state has rows in its boundary years.
			if (s.from !== null) expect(kept.filter((r) => r.report_year === s.from).length, label).toBeGreaterThan(0);
			if (s.to !== null) expect(kept.filter((r) => r.report_year === s.to).length, label).toBeGreaterThan(0);
			expect(got.n, label).toBe(kept.length);
		}
	});
});
