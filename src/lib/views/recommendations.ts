/**
 * Pure helpers of the recommendation views: colours, data tables and generated summaries.
 * No Svelte, no DOM: labels and message functions are passed in, so tests can call these too.
 */
import { byCode } from '$lib/i18n/format';
import type { ChartTable } from '$lib/charts/table';
import { wilsonInterval } from '$lib/stats/intervals';
import type { ImplementationYear, OldestOpenTheme, RecStatus, StatusCounts, SurvivalGroupResult } from '$lib/queries/recommendations';
import { AT_RISK_MONTHS, STATUS_ORDER } from '$lib/queries/recommendations';

/**
 * Status colours: a blue ramp from "in progress" to "implemented", orange for "not started",
 * dark red (pink in dark mode) for "rejected" and grey for "no information" (variables of
 * app.css, which switch for dark mode; tests/unit/colours.test.ts keeps them apart).
 */
export const STATUS_COLOR: Record<RecStatus, string> = {
	not_started: 'var(--cat-2)',
	in_progress: 'var(--seq-2)',
	partially_implemented: 'var(--seq-3)',
	implemented: 'var(--seq-5)',
	rejected: 'var(--status-rejected)',
	no_information: 'var(--status-no-information)'
};

export const statusShare = (g: StatusCounts, s: RecStatus) => (g.total ? g.counts[s] / g.total : 0);

/** Groups sorted by share implemented, highest first (ties: by code), withheld last. */
export function sortByImplemented(groups: StatusCounts[]): StatusCounts[] {
	return [...groups].sort((a, b) => {
		if (a.code === null || b.code === null) return a.code === null ? 1 : -1;
		return statusShare(b, 'implemented') - statusShare(a, 'implemented') || byCode(a.code, b.code);
	});
}

/**
 * The status table: counts per status and the share implemented. With `low`/`high` labels the
 * share also gets its Wilson 95% confidence interval (ci95_low/ci95_high, right after it): a
 * region may have only a few dozen recommendations.
 */
export function statusTable(
	groups: StatusCounts[],
	groupName: (code: string | null) => string,
	statusName: (s: RecStatus) => string,
	labels: { group: string; total: string; shareImplemented: string; low?: string; high?: string }
): ChartTable {
	const ci = labels.low != null && labels.high != null;
	const round = (v: number | null | undefined) => (v == null ? null : Math.round(v * 10000) / 10000);
	return {
		columns: [
			{ key: 'group', label: labels.group },
			{ key: 'total', label: labels.total, numeric: true },
			...STATUS_ORDER.map((s) => ({ key: s, label: statusName(s), numeric: true })),
			{ key: 'share_implemented', label: labels.shareImplemented, numeric: true },
			...(ci
				? [
						{ key: 'ci95_low', label: labels.low!, numeric: true, csv: 'ci95_low' },
						{ key: 'ci95_high', label: labels.high!, numeric: true, csv: 'ci95_high' }
					]
				: [])
		],
		rows: groups.map((g) => {
			const w = ci ? wilsonInterval(g.counts.implemented, g.total) : null;
			return {
				group: groupName(g.code),
				code: g.code,
				total: g.total,
				...g.counts,
				share_implemented: round(statusShare(g, 'implemented')),
				...(ci ? { ci95_low: round(w?.low), ci95_high: round(w?.high) } : {})
			};
		})
	};
}

/**
 * Each named group's share implemented with its Wilson 95% interval, for a summary that calls a
 * region above or below the whole only when its interval excludes the whole's share.
 */
export function statusEstimates(groups: StatusCounts[], groupName: (code: string | null) => string) {
	return groups
		.filter((g) => g.code !== null && g.total > 0)
		.map((g) => {
			const w = wilsonInterval(g.counts.implemented, g.total);
			return { name: groupName(g.code), value: statusShare(g, 'implemented'), low: w?.low ?? null, high: w?.high ?? null, n: g.total };
		});
}

export interface StatusSummaryLabels {
	summary: (p: { k: number; total: string; implemented: string; share: string; best: string; bestShare: string; worst: string; worstShare: string }) => string;
	/** Without the highest and lowest group: the regions are compared with their intervals instead (`compare`). */
	total?: (p: { k: number; total: string; implemented: string; share: string }) => string;
	/** The comparison of the groups with the whole (uncertaintySummary without its reference sentence). */
	compare?: (overall: number) => string;
}

export function statusSummary(
	groups: StatusCounts[],
	groupName: (code: string | null) => string,
	fmt: { int: (n: number) => string; pct: (s: number) => string },
	labels: StatusSummaryLabels
): string {
	const named = groups.filter((g) => g.code !== null && g.total > 0);
	if (!named.length) return '';
	const total = groups.reduce((a, g) => a + g.total, 0);
	const implemented = groups.reduce((a, g) => a + g.counts.implemented, 0);
	if (labels.total && labels.compare) {
		const head = labels.total({ k: implemented, total: fmt.int(total), implemented: fmt.int(implemented), share: fmt.pct(total ? implemented / total : 0) });
		// One region alone is the whole: nothing to compare.
		return named.length > 1 && total ? `${head} ${labels.compare(implemented / total)}`.trim() : head;
	}
	const sorted = sortByImplemented(named);
	const best = sorted[0];
	const worst = sorted[sorted.length - 1];
	return labels.summary({
		k: implemented,
		total: fmt.int(total),
		implemented: fmt.int(implemented),
		share: fmt.pct(total ? implemented / total : 0),
		best: groupName(best.code),
		bestShare: fmt.pct(statusShare(best, 'implemented')),
		worst: groupName(worst.code),
		worstShare: fmt.pct(statusShare(worst, 'implemented'))
	});
}

/**
 * The implementation-by-year table. With `low`/`high` labels the share implemented also gets its
 * Wilson 95% confidence interval (columns ci95_low/ci95_high, right after it): a year may have
 * few recommendations.
 */
export function byYearTable(
	years: ImplementationYear[],
	labels: { year: string; issued: string; implemented: string; partially: string; share: string; shareOrPartially: string; low?: string; high?: string }
): ChartTable {
	const ci = labels.low != null && labels.high != null;
	const round = (v: number | null | undefined) => (v == null ? null : Math.round(v * 10000) / 10000);
	return {
		columns: [
			{ key: 'year', label: labels.year },
			{ key: 'issued', label: labels.issued, numeric: true },
			{ key: 'implemented', label: labels.implemented, numeric: true },
			{ key: 'partially', label: labels.partially, numeric: true },
			{ key: 'share_implemented', label: labels.share, numeric: true },
			...(ci
				? [
						{ key: 'ci95_low', label: labels.low!, numeric: true, csv: 'ci95_low' },
						{ key: 'ci95_high', label: labels.high!, numeric: true, csv: 'ci95_high' }
					]
				: []),
			{ key: 'share_implemented_or_partially', label: labels.shareOrPartially, numeric: true }
		],
		rows: years.map((y) => {
			const w = ci ? wilsonInterval(y.implemented, y.issued) : null;
			return {
				year: y.year,
				issued: y.issued,
				implemented: y.implemented,
				partially: y.partially,
				share_implemented: round(y.shareImplemented),
				...(ci ? { ci95_low: round(w?.low), ci95_high: round(w?.high) } : {}),
				share_implemented_or_partially: round(y.shareImplementedOrPartially)
			};
		})
	};
}

export function byYearSummary(
	years: ImplementationYear[],
	pct: (s: number) => string,
	summary: (p: { firstYear: string; firstShare: string; lastYear: string; lastShare: string; bestYear: string; bestShare: string }) => string
): string {
	if (!years.length) return '';
	const first = years[0];
	const last = years[years.length - 1];
	const best = years.reduce((a, b) => (b.shareImplemented > a.shareImplemented ? b : a));
	return summary({
		firstYear: String(first.year),
		firstShare: pct(first.shareImplemented),
		lastYear: String(last.year),
		lastShare: pct(last.shareImplemented),
		bestYear: String(best.year),
		bestShare: pct(best.shareImplemented)
	});
}

export function survivalTable(
	groups: SurvivalGroupResult[],
	groupName: (code: string) => string,
	labels: { group: string; n: string; events: string; censored: string; q25: string; q50: string; q75: string; atRisk: (months: number) => string }
): ChartTable {
	return {
		columns: [
			{ key: 'group', label: labels.group },
			{ key: 'n', label: labels.n, numeric: true },
			{ key: 'events', label: labels.events, numeric: true },
			{ key: 'censored', label: labels.censored, numeric: true },
			{ key: 'q25', label: labels.q25, numeric: true },
			{ key: 'q50', label: labels.q50, numeric: true },
			{ key: 'q75', label: labels.q75, numeric: true },
			...AT_RISK_MONTHS.map((t) => ({ key: `at_risk_${t}`, label: labels.atRisk(t), numeric: true }))
		],
		rows: groups.map((g) => ({
			group: groupName(g.code),
			n: g.n,
			events: g.events,
			censored: g.censored,
			q25: g.quantiles[0],
			q50: g.quantiles[1],
			q75: g.quantiles[2],
			...Object.fromEntries(AT_RISK_MONTHS.map((t, i) => [`at_risk_${t}`, g.atRisk[i]]))
		}))
	};
}

/** S(t) from step points: the last point at or before t; null past the curve's end. */
export function survivalFromPoints(points: { time: number; survival: number }[], t: number): number | null {
	if (!points.length || t > points[points.length - 1].time) return null;
	let v = 1;
	for (const p of points) {
		if (p.time > t) break;
		v = p.survival;
	}
	return v;
}

/** Months at which the summary compares groups (share implemented by then). */
export const SUMMARY_MONTHS = 24;

/**
 * The medians where reached (or that none was), then the share implemented within
 * SUMMARY_MONTHS months for the quickest and the slowest group.
 */
export function survivalSummary(
	groups: SurvivalGroupResult[],
	groupName: (code: string) => string,
	labels: {
		months: (n: number) => string;
		pct: (share: number) => string;
		medians: (p: { list: string }) => string;
		notReached: (p: { list: string }) => string;
		noneReached: () => string;
		within: (p: { months: string; best: string; bestShare: string; worst: string; worstShare: string }) => string;
	}
): string {
	if (!groups.length) return '';
	const reached = groups.filter((g) => g.quantiles[1] != null).sort((a, b) => a.quantiles[1]! - b.quantiles[1]!);
	const notReached = groups.filter((g) => g.quantiles[1] == null);
	const parts: string[] = [];
	if (!reached.length) parts.push(labels.noneReached());
	else {
		parts.push(labels.medians({ list: reached.map((g) => `${groupName(g.code)} ${labels.months(g.quantiles[1]!)}`).join('; ') }));
		if (notReached.length) parts.push(labels.notReached({ list: notReached.map((g) => groupName(g.code)).join(', ') }));
	}
	const shares = groups
		.map((g) => ({ g, s: survivalFromPoints(g.points, SUMMARY_MONTHS) }))
		.filter((x): x is { g: SurvivalGroupResult; s: number } => x.s != null)
		.sort((a, b) => a.s - b.s || byCode(a.g.code, b.g.code));
	if (shares.length >= 2) {
		const best = shares[0];
		const worst = shares[shares.length - 1];
		parts.push(
			labels.within({
				months: labels.months(SUMMARY_MONTHS),
				best: groupName(best.g.code),
				bestShare: labels.pct(1 - best.s),
				worst: groupName(worst.g.code),
				worstShare: labels.pct(1 - worst.s)
			})
		);
	}
	return parts.join(' ');
}

export function oldestTable(rows: OldestOpenTheme[], themeName: (code: string) => string, labels: { theme: string; open: string; oldest: string; median: string }): ChartTable {
	return {
		columns: [
			{ key: 'theme', label: labels.theme },
			{ key: 'open', label: labels.open, numeric: true },
			{ key: 'oldest_months', label: labels.oldest, numeric: true },
			{ key: 'median_months', label: labels.median, numeric: true }
		],
		rows: rows.map((r) => ({ theme: themeName(r.theme), open: r.open, oldest_months: r.oldestMonths, median_months: r.medianMonths }))
	};
}

export function oldestSummary(
	rows: OldestOpenTheme[],
	themeName: (code: string) => string,
	fmt: { int: (n: number) => string; num: (n: number) => string },
	summary: (p: { k: number; open: string; theme: string; months: string; medianTheme: string; median: string }) => string
): string {
	if (!rows.length) return '';
	const oldest = rows.reduce((a, b) => (b.oldestMonths > a.oldestMonths ? b : a));
	const longestMedian = rows.reduce((a, b) => (b.medianMonths > a.medianMonths ? b : a));
	return summary({
		k: rows.reduce((a, r) => a + r.open, 0),
		open: fmt.int(rows.reduce((a, r) => a + r.open, 0)),
		theme: themeName(oldest.theme),
		months: fmt.int(oldest.oldestMonths),
		medianTheme: themeName(longestMedian.theme),
		median: fmt.num(longestMedian.medianMonths)
	});
}
