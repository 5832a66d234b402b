import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/lib/server/engine-node';
import type { Engine } from '../../src/lib/engine/types';
import { allegationsByYear, allegationYearSpan, pivotByYear } from '../../src/lib/queries/allegations-by-year';
import { defaultState } from '../../src/lib/state/view-state';
import { REGION_CODES, writeSmallDataset, type SmallAllegation } from './helpers/small-dataset';

let engine: Engine;
let rows: SmallAllegation[];

beforeAll(async () => {
	const ds = await writeSmallDataset();
	rows = ds.rows;
	engine = await createNodeEngine({ dataDir: ds.dir });
});
afterAll(() => engine?.close());

/** The expectation, computed in plain TypeScript from the rows written to Parquet. */
function expected(from: number, to: number) {
	const inRange = rows.filter((r) => r.report_year >= from && r.report_year <= to);
	const count = (pred: (r: SmallAllegation) => boolean, y: number) => inRange.filter((r) => r.report_year === y && pred(r)).length;
	const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
	return {
		years,
		national: years.map((y) => count(() => true, y)),
		unattributed: years.map((y) => count((r) => r.region_code === null, y)),
		regions: REGION_CODES.map((code) => ({ code, counts: years.map((y) => count((r) => r.region_code === code, y)) }))
	};
}

describe('allegationsByYear', () => {
	it('equals an independent count for the full span', async () => {
		const span = await allegationYearSpan(engine);
		expect(span).toEqual({ fromYear: Math.min(...rows.map((r) => r.report_year)), toYear: Math.max(...rows.map((r) => r.report_year)) });
		const got = await allegationsByYear(engine, REGION_CODES, span, defaultState());
		expect(got).toEqual(expected(span.fromYear, span.toYear));
	});

	it('respects a narrower year range', async () => {
		const got = await allegationsByYear(engine, REGION_CODES, { fromYear: 2014, toYear: 2025 }, { ...defaultState(), from: 2018, to: 2020 });
		expect(got).toEqual(expected(2018, 2020));
	});

	it('keeps withheld regions in the national total', async () => {
		const got = await allegationsByYear(engine, REGION_CODES, { fromYear: 2014, toYear: 2025 }, defaultState());
		const regionSum = got.years.map((_, i) => got.regions.reduce((s, r) => s + r.counts[i], 0));
		expect(got.national).toEqual(regionSum.map((s, i) => s + got.unattributed[i]));
		expect(got.unattributed.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
	});
});

describe('pivotByYear', () => {
	it('fills years without records with zeros and ignores years outside the range', () => {
		const p = pivotByYear(
			[
				{ year: 2015, region_code: 'KZ-75', n: 3 },
				{ year: 2030, region_code: 'KZ-75', n: 9 }
			],
			['KZ-75', 'KZ-71'],
			{ fromYear: 2014, toYear: 2016 }
		);
		expect(p).toEqual({
			years: [2014, 2015, 2016],
			national: [0, 3, 0],
			unattributed: [0, 0, 0],
			regions: [
				{ code: 'KZ-75', counts: [0, 3, 0] },
				{ code: 'KZ-71', counts: [0, 0, 0] }
			]
		});
	});
});
