/**
 * The figures of a region's printed brief with their 95% confidence intervals, beside the nation's:
 * allegations per 100,000 residents a year (exact Poisson, Garwood), the share of findings meeting
 * the standard and the share of recommendations implemented (Wilson score), over the years shown
 * and, for the rate, year by year. Everything comes from the regions comparison the page already
 * holds (counts, denominators); the intervals are those of src/lib/stats/intervals.ts. Pure.
 */
import { compareToReference, FEW_CASES, rateInterval, wilsonInterval, type Comparison, type Interval } from '$lib/stats/intervals';
import { PER } from '$lib/queries/rates';
import type { RegionComparisonRow, RegionsComparison } from '$lib/queries/region-compare';

export interface BriefEstimate {
	value: number | null;
	low: number | null;
	high: number | null;
	/** Records behind the value: allegations for a rate, findings or recommendations for a share. */
	n: number;
}

export type BriefMeasureId = 'rate' | 'standards' | 'implemented';

export interface BriefMeasure {
	id: BriefMeasureId;
	region: BriefEstimate;
	national: BriefEstimate;
	/** Where the region's whole interval lies against the national value (null without one). */
	position: Comparison | null;
	/** The region's figure rests on fewer than FEW_CASES records. */
	few: boolean;
}

export interface BriefYear {
	year: number;
	region: BriefEstimate;
	national: BriefEstimate;
}

export interface BriefFigures {
	measures: BriefMeasure[];
	years: BriefYear[];
}

const estimate = (value: number | null, ci: Interval | null, n: number): BriefEstimate => ({
	value,
	low: value == null || !ci ? null : ci.low,
	high: value == null || !ci ? null : ci.high,
	n
});

/** The rate over the years shown: the allegations of the years with residents, over those residents. */
function rate(row: RegionComparisonRow): BriefEstimate {
	let count = 0;
	row.residentsSeries.forEach((d, i) => {
		if (d != null) count += row.allegations.series[i] ?? 0;
	});
	return estimate(row.per100k.value, rateInterval(count, row.residents, PER.residents), count);
}

/** A share with its records: the count it is a share of is the share times the records, exactly. */
function share(value: number | null, n: number): BriefEstimate {
	if (value == null || !(n > 0)) return estimate(null, null, n);
	return estimate(value, wilsonInterval(Math.round(value * n), n), n);
}

function yearRate(row: RegionComparisonRow, i: number): BriefEstimate {
	const d = row.residentsSeries[i];
	const count = row.allegations.series[i] ?? 0;
	if (d == null) return estimate(null, null, count);
	return estimate(row.per100k.series[i], rateInterval(count, d, PER.residents), count);
}

/** The brief's figures for region `code`; null when the comparison has no row for it. */
export function briefFigures(c: RegionsComparison, code: string): BriefFigures | null {
	const r = c.regions.find((x) => x.code === code);
	if (!r) return null;
	const n = c.national;
	const pairs: [BriefMeasureId, BriefEstimate, BriefEstimate][] = [
		['rate', rate(r), rate(n)],
		['standards', share(r.standards.value, r.findings), share(n.standards.value, n.findings)],
		['implemented', share(r.implemented.value, r.recommendations), share(n.implemented.value, n.recommendations)]
	];
	const measures = pairs.map(([id, region, national]) => ({
		id,
		region,
		national,
		position: region.value == null || region.low == null || region.high == null ? null : compareToReference({ low: region.low, high: region.high }, national.value),
		few: region.value != null && region.n < FEW_CASES
	}));
	const years = c.years.map((year, i) => ({ year, region: yearRate(r, i), national: yearRate(n, i) }));
	return { measures, years };
}
