/**
 * Pure helpers of the Conditions views: data tables and generated summaries. No Svelte, no DOM;
 * labels and message functions come in as arguments so this file is testable without paraglide.
 */
import { byCode } from '$lib/i18n/format';
import { compareText } from '$lib/i18n/format';
import type { ChartTable } from '$lib/charts/table';
import { wilsonInterval } from '$lib/stats/intervals';
import type { BoxGroup, HeatmapCell, OccupancyYear } from '$lib/queries/conditions';

type Name = (code: string | null) => string;

/** Regions in the heatmap: those with findings, by name; a withheld region (NULL) last. */
export function heatmapRows(cells: HeatmapCell[], regionName: Name, locale: string): { key: string; label: string }[] {
	const codes = [...new Set(cells.map((c) => c.region_code))];
	return codes
		.map((code) => ({ key: code ?? '', label: regionName(code), code }))
		.sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : compareText(locale, a.label, b.label)))
		.map(({ key, label }) => ({ key, label }));
}

/** Indicators in the heatmap, in code-list order. */
export function heatmapColumns(cells: HeatmapCell[], indicatorOrder: string[], indicatorName: Name): { key: string; label: string }[] {
	const present = new Set(cells.map((c) => c.indicator));
	const known = indicatorOrder.filter((i) => present.has(i));
	const extra = [...present].filter((i) => !indicatorOrder.includes(i)).sort();
	return [...known, ...extra].map((key) => ({ key, label: indicatorName(key) }));
}

/**
 * The heatmap's table, one row per region and indicator. With `low`/`high` labels each share also
 * gets its Wilson 95% confidence interval (ci95_low/ci95_high; empty where the share is not shown).
 */
export function heatmapTable(
	cells: HeatmapCell[],
	rows: { key: string; label: string }[],
	cols: { key: string; label: string }[],
	labels: { region: string; indicator: string; n: string; met: string; share: string; low?: string; high?: string }
): ChartTable {
	const ci = labels.low != null && labels.high != null;
	const round = (v: number | null | undefined) => (v == null ? null : Math.round(v * 10000) / 10000);
	const byKey = new Map(cells.map((c) => [`${c.region_code ?? ''}|${c.indicator}`, c]));
	const out: ChartTable['rows'] = [];
	for (const r of rows)
		for (const c of cols) {
			const cell = byKey.get(`${r.key}|${c.key}`);
			if (!cell) continue;
			const w = ci && cell.share != null ? wilsonInterval(cell.met, cell.n) : null;
			out.push({ region: r.label, indicator: c.label, n: cell.n, met: cell.met, share: cell.share, ...(ci ? { ci95_low: round(w?.low), ci95_high: round(w?.high) } : {}) });
		}
	return {
		columns: [
			{ key: 'region', label: labels.region },
			{ key: 'indicator', label: labels.indicator },
			{ key: 'n', label: labels.n, numeric: true },
			{ key: 'met', label: labels.met, numeric: true },
			{ key: 'share', label: labels.share, numeric: true },
			...(ci
				? [
						{ key: 'ci95_low', label: labels.low!, numeric: true, csv: 'ci95_low' },
						{ key: 'ci95_high', label: labels.high!, numeric: true, csv: 'ci95_high' }
					]
				: [])
		],
		rows: out
	};
}

/**
 * Each named region's share of findings meeting the standard, pooled over the indicators, with
 * its Wilson 95% interval: what the summary compares with the overall share (uncertainty.ts).
 */
export function heatmapRegionEstimates(cells: HeatmapCell[], regionName: Name) {
	const pooled = new Map<string, { n: number; met: number }>();
	for (const c of cells) {
		if (c.region_code == null) continue;
		const a = pooled.get(c.region_code) ?? { n: 0, met: 0 };
		a.n += c.n;
		a.met += c.met;
		pooled.set(c.region_code, a);
	}
	return [...pooled]
		.filter(([, a]) => a.n > 0)
		.sort(([a], [b]) => byCode(a, b))
		.map(([code, a]) => {
			const w = wilsonInterval(a.met, a.n);
			return { name: regionName(code), value: a.met / a.n, low: w?.low ?? null, high: w?.high ?? null, n: a.n };
		});
}

export interface Extreme {
	key: string | null;
	share: number;
}

/** Overall share, and the lowest and highest indicator and region (pooled over enough findings). */
export function heatmapExtremes(cells: HeatmapCell[], minFindings: number) {
	const pool = (key: (c: HeatmapCell) => string | null) => {
		const m = new Map<string | null, { n: number; met: number }>();
		for (const c of cells) {
			const k = key(c);
			const a = m.get(k) ?? { n: 0, met: 0 };
			a.n += c.n;
			a.met += c.met;
			m.set(k, a);
		}
		const shares = [...m].filter(([, a]) => a.n >= minFindings).map(([k, a]) => ({ key: k, share: a.met / a.n }));
		shares.sort((a, b) => a.share - b.share || byCode(String(a.key), String(b.key)));
		return { low: shares[0] as Extreme | undefined, high: shares[shares.length - 1] as Extreme | undefined };
	};
	const n = cells.reduce((s, c) => s + c.n, 0);
	const met = cells.reduce((s, c) => s + c.met, 0);
	return { n, share: n ? met / n : null, indicator: pool((c) => c.indicator), region: pool((c) => c.region_code) };
}

export function livingSpaceTable(
	groups: BoxGroup[],
	typeName: Name,
	labels: { type: string; n: string; p05: string; q1: string; median: string; q3: string; p95: string; below: string }
): ChartTable {
	return {
		columns: [
			{ key: 'facility_type', label: labels.type },
			{ key: 'n', label: labels.n, numeric: true },
			{ key: 'p05', label: labels.p05, numeric: true },
			{ key: 'q1', label: labels.q1, numeric: true },
			{ key: 'median', label: labels.median, numeric: true },
			{ key: 'q3', label: labels.q3, numeric: true },
			{ key: 'p95', label: labels.p95, numeric: true },
			{ key: 'below', label: labels.below, numeric: true }
		],
		rows: groups.map((g) => ({
			facility_type: typeName(g.facility_type),
			n: g.n,
			p05: g.p05,
			q1: g.q1,
			median: g.median,
			q3: g.q3,
			p95: g.p95,
			below: g.below
		}))
	};
}

/** The groups with a box, lowest and highest median first/last. */
export function livingSpaceExtremes(groups: BoxGroup[]): { low: BoxGroup; high: BoxGroup } | null {
	const boxed = groups.filter((g) => g.median != null).sort((a, b) => a.median! - b.median!);
	return boxed.length ? { low: boxed[0], high: boxed[boxed.length - 1] } : null;
}

export function occupancyTable(years: OccupancyYear[], labels: { year: string; n: string; over: string }): ChartTable {
	return {
		columns: [
			{ key: 'year', label: labels.year },
			{ key: 'n', label: labels.n, numeric: true },
			{ key: 'over', label: labels.over, numeric: true }
		],
		rows: years.map((y) => ({ year: y.year, n: y.n, over: y.over }))
	};
}

/** First and last year with visits (for the summary). */
export function occupancyEnds(years: OccupancyYear[]): { first: OccupancyYear; last: OccupancyYear } | null {
	const withData = years.filter((y) => y.n > 0);
	return withData.length ? { first: withData[0], last: withData[withData.length - 1] } : null;
}
