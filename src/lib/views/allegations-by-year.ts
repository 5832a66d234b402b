import { formatChange, formatInt } from '$lib/i18n/format';
import type { AllegationsByYear } from '$lib/queries/allegations-by-year';
import type { ChartTable } from '$lib/charts/table';

/** Both years of a stated change hold at least this many allegations (as the Allegations page's summaries). */
export const MIN_COUNT_FOR_CHANGE = 10;

export interface SummaryLabels {
	summary: (p: { k: number; total: string; from: string; to: string; peakYear: string; peak: string; topRegion: string; topRegionCount: string }) => string;
	change: (p: { prevYear: string; lastYear: string; change: string }) => string;
}

/** The text summary: totals, the peak year, the region with most records, the last change. */
export function summarise(d: AllegationsByYear, regionName: (code: string) => string, locale: string, labels: SummaryLabels): string {
	if (!d.years.length) return '';
	const total = d.national.reduce((a, b) => a + b, 0);
	let peakIdx = 0;
	d.national.forEach((v, i) => {
		if (v > d.national[peakIdx]) peakIdx = i;
	});
	const regionTotals = d.regions.map((r) => ({ code: r.code, total: r.counts.reduce((a, b) => a + b, 0) }));
	const top = regionTotals.reduce((a, b) => (b.total > a.total ? b : a), regionTotals[0] ?? { code: '', total: 0 });
	let text = labels.summary({
		k: total,
		total: formatInt(locale, total),
		from: String(d.years[0]),
		to: String(d.years[d.years.length - 1]),
		peakYear: String(d.years[peakIdx]),
		peak: formatInt(locale, d.national[peakIdx]),
		topRegion: top ? regionName(top.code) : '–',
		topRegionCount: formatInt(locale, top?.total ?? 0)
	});
	const n = d.years.length;
	// A change is stated only when both years hold enough allegations to support a percentage.
	if (n >= 2 && d.national[n - 2] >= MIN_COUNT_FOR_CHANGE && d.national[n - 1] >= MIN_COUNT_FOR_CHANGE) {
		text +=
			' ' +
			labels.change({
				prevYear: String(d.years[n - 2]),
				lastYear: String(d.years[n - 1]),
				change: formatChange(locale, d.national[n - 2], d.national[n - 1])
			});
	}
	return text;
}

/** One row per year: the year, the national total, then one column per region (and withheld). */
export function toTable(
	d: AllegationsByYear,
	regionName: (code: string) => string,
	labels: { year: string; national: string; unattributed: string }
): ChartTable {
	const hasWithheld = d.unattributed.some((v) => v > 0);
	const columns = [
		{ key: 'year', label: labels.year },
		{ key: 'national', label: labels.national, numeric: true },
		...d.regions.map((r) => ({ key: r.code, label: regionName(r.code), numeric: true })),
		...(hasWithheld ? [{ key: 'unattributed', label: labels.unattributed, numeric: true }] : [])
	];
	const rows = d.years.map((year, i) => {
		const row: Record<string, number> = { year, national: d.national[i] };
		for (const r of d.regions) row[r.code] = r.counts[i];
		if (hasWithheld) row.unattributed = d.unattributed[i];
		return row;
	});
	return { columns, rows };
}
