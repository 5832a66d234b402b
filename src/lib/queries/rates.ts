/**
 * Rates over several years (allegations per 100,000 residents, or per 1,000 detainees, a year):
 * the allegations of a set of years divided by the person-years of the same years. The set is
 * the years shown, within the allegations' span (before the first allegation year nothing was
 * recorded: counting its residents would dilute the rate), where the denominator is known.
 * Allegations whose year was withheld belong to no year and so to no rate.
 *
 * The default view shows every year: the population table starts in 2010 and the allegations in
 * 2014, so a rate over "all rows" of each table would divide 2014-2025 by 2010-2025.
 */
import { slice, type Cube } from '$lib/cubes/cube';
import type { ViewState } from '$lib/state/view-state';
import { cubeWhere } from './registry';
import type { YearRange } from './allegations-by-year';

export type RateColumn = 'residents' | 'detainees';

/** Per this many people: residents per 100,000, detainees per 1,000. */
export const PER: Record<RateColumn, number> = { residents: 100_000, detainees: 1_000 };

/** The years a multi-year rate covers: the years shown, clipped to the allegations' span. */
export function rateYears(state: ViewState, span: YearRange): number[] {
	const from = Math.max(state.from ?? span.fromYear, span.fromYear);
	const to = Math.min(state.to ?? span.toYear, span.toYear);
	const years: number[] = [];
	for (let y = from; y <= to; y++) years.push(y);
	return years;
}

export interface AlignedRate {
	/** count / denominator * base; null when no year has a denominator. */
	value: number | null;
	/** Allegations in `years`. */
	count: number;
	/** Person-years in `years`; null when none. */
	denominator: number | null;
	/** The years both sums run over. */
	years: number[];
}

/** Numerator and denominator summed over the same years: those of `years` with a denominator. */
export function alignedRate(counts: ReadonlyMap<number, number>, denominators: ReadonlyMap<number, number | null>, years: number[], base: number): AlignedRate {
	let count = 0;
	let denominator = 0;
	const used: number[] = [];
	for (const y of years) {
		const d = denominators.get(y);
		if (d == null || !(d > 0)) continue;
		used.push(y);
		count += counts.get(y) ?? 0;
		denominator += d;
	}
	return used.length ? { value: (count / denominator) * base, count, denominator, years: used } : { value: null, count, denominator: null, years: [] };
}

/** Allegations per known year from a slice's rows (rows without a year are left out). */
export function countsByYear(rows: Record<string, unknown>[]): Map<number, number> {
	const out = new Map<number, number>();
	for (const r of rows) if (r.year != null) out.set(r.year as number, (out.get(r.year as number) ?? 0) + (r.n as number));
	return out;
}

/**
 * Person-years per region and year from the region_year rollup under `state` (the region filter
 * left out: the caller picks the regions). A missing figure is null, never zero.
 */
export function denominatorsByRegion(regionYear: Cube, state: ViewState, column: RateColumn): Map<string, Map<number, number | null>> {
	const out = new Map<string, Map<number, number | null>>();
	for (const r of slice(regionYear, { where: cubeWhere(regionYear, state, { skip: ['region'] }), by: ['region', 'year'], sum: [column, `n_${column}`] })) {
		if (r.region == null || r.year == null) continue;
		let m = out.get(r.region as string);
		if (!m) out.set(r.region as string, (m = new Map()));
		m.set(r.year as number, (r[`n_${column}`] as number) > 0 ? (r[column] as number) : null);
	}
	return out;
}
