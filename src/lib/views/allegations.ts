/**
 * Pure helpers of the Allegations views: the data table and the generated text summary of each
 * chart, from the answers of $lib/queries/allegations. Labels and message functions are passed in,
 * so these functions are tested without Svelte or paraglide.
 */
import type { ChartTable } from '$lib/charts/table';
import { formatChange, formatInt } from '$lib/i18n/format';
import { formatPart, formatRate } from '$lib/i18n/measures';
import { rateInterval } from '$lib/stats/intervals';
import { RATE_BASE, type AllegationsView, type ByType, type CategoryCount, type FunnelStep, type OverTime, type TimePoint } from '$lib/queries/allegations';

type Msg<P> = (p: P) => string;

/** '2019' or '2019-Q1': the stable key of a period (data-value of the table's first column). */
export function periodKey(p: Pick<TimePoint, 'year' | 'quarter'>): string {
	return p.quarter == null ? String(p.year) : `${p.year}-Q${p.quarter}`;
}

export function periodLabel(p: Pick<TimePoint, 'year' | 'quarter'>, quarterLabel: Msg<{ year: string; quarter: string }>): string {
	return p.quarter == null ? String(p.year) : quarterLabel({ year: String(p.year), quarter: String(p.quarter) });
}

// --- over time -------------------------------------------------------------------------------

/**
 * A quarterly series is drawn only when, in every year shown that has allegations, at least this
 * share of them has a known quarter. Below it the anonymiser's generalisation to the year, not
 * the events, would shape the line (a quarter looks empty because its records were moved out).
 */
export const QUARTER_MIN_SHARE = 0.8;

/**
 * A change between two periods is stated only when both have at least this many allegations:
 * below it a percentage is noise (one or two records more or fewer swing it by tens of percent).
 */
export const MIN_COUNT_FOR_CHANGE = 10;

export interface QuarterCoverage {
	year: number;
	/** Allegations of the year (with or without a quarter). */
	total: number;
	/** Those with a known quarter. */
	known: number;
	/** known / total; null for a year without allegations. */
	share: number | null;
}

export interface QuarterlyDecision {
	/** The series to draw: quarterly when supported, else the same allegations per year. */
	overTime: OverTime;
	/** True when a quarterly view was asked for and declined. */
	declined: boolean;
	/** Per year shown (quarterly requests only): how many allegations have a known quarter. */
	coverage: QuarterCoverage[];
	known: number;
	total: number;
}

/** Per year of a quarterly answer: allegations in total and with a known quarter. */
export function quarterCoverage(d: OverTime): QuarterCoverage[] {
	if (d.period !== 'quarter') return [];
	const withheld = new Map(d.quarterWithheld.map((q) => [q.year, q.n]));
	const years = [...new Set(d.points.filter((p) => p.count != null).map((p) => p.year))];
	return years.map((year) => {
		const known = d.points.filter((p) => p.year === year).reduce((s, p) => s + (p.count ?? 0), 0);
		const total = known + (withheld.get(year) ?? 0);
		return { year, total, known, share: total ? known / total : null };
	});
}

/**
 * The honest form of a quarterly request: the quarterly series when every year shown has its
 * quarter for at least QUARTER_MIN_SHARE of its allegations, otherwise the same allegations per
 * year (all of them, those without a quarter included) and `declined`.
 */
export function decideQuarterly(d: OverTime, minShare = QUARTER_MIN_SHARE): QuarterlyDecision {
	const coverage = quarterCoverage(d);
	const known = coverage.reduce((s, c) => s + c.known, 0);
	const total = coverage.reduce((s, c) => s + c.total, 0);
	if (d.period !== 'quarter' || coverage.every((c) => c.share == null || c.share >= minShare)) return { overTime: d, declined: false, coverage, known, total };
	const withheld = new Map(d.quarterWithheld.map((q) => [q.year, q.n]));
	const years = [...new Set(d.points.map((p) => p.year))];
	const points: TimePoint[] = years.map((year) => {
		const qs = d.points.filter((p) => p.year === year);
		const count = qs.every((p) => p.count == null) ? null : qs.reduce((s, p) => s + (p.count ?? 0), 0) + (withheld.get(year) ?? 0);
		const denominator = d.measure === 'count' ? null : (qs[0]?.denominator ?? null);
		const value = count == null ? null : d.measure === 'count' ? count : denominator == null ? null : (count / denominator) * RATE_BASE[d.measure];
		return { x: year, year, quarter: null, count, denominator, value };
	});
	return { overTime: { ...d, period: 'year', points, quarterWithheld: [] }, declined: true, coverage, known, total };
}

/** The table with a column of each year's share of allegations with a known quarter (a declined quarterly view). */
export function withQuarterCoverage(table: ChartTable, coverage: QuarterCoverage[], label: string): ChartTable {
	if (!coverage.length) return table;
	const share = new Map(coverage.map((c) => [String(c.year), c.share == null ? null : Math.round(c.share * 10000) / 10000]));
	return {
		columns: [...table.columns, { key: 'quarter_known', label, numeric: true }],
		rows: table.rows.map((r) => ({ ...r, quarter_known: share.get(String(r.period)) ?? null }))
	};
}

/**
 * The over-time table. For rates, with `low`/`high` labels, each period's rate also gets its exact
 * Poisson 95% confidence interval (columns ci95_low/ci95_high; src/lib/stats/intervals.ts): a
 * year's count in one region can be small.
 */
export function overTimeTable(d: OverTime, labels: { period: string; count: string; denominator: string; rate: string; low?: string; high?: string }): ChartTable {
	const rate = d.measure !== 'count';
	const ci = rate && labels.low != null && labels.high != null;
	const round = (v: number | null | undefined) => (v == null ? null : Math.round(v * 1000) / 1000);
	return {
		columns: [
			{ key: 'period', label: labels.period },
			{ key: 'count', label: labels.count, numeric: true },
			...(rate
				? [
						{ key: 'denominator', label: labels.denominator, numeric: true },
						{ key: 'rate', label: labels.rate, numeric: true }
					]
				: []),
			...(ci
				? [
						{ key: 'ci95_low', label: labels.low!, numeric: true, csv: 'ci95_low' },
						{ key: 'ci95_high', label: labels.high!, numeric: true, csv: 'ci95_high' }
					]
				: [])
		],
		rows: d.points.map((p) => {
			const interval = ci && p.value != null && p.count != null ? rateInterval(p.count, p.denominator, RATE_BASE[d.measure as Exclude<typeof d.measure, 'count'>]) : null;
			return {
				period: periodKey(p),
				count: p.count,
				...(rate ? { denominator: p.denominator, rate: round(p.value) } : {}),
				...(ci ? { ci95_low: round(interval?.low), ci95_high: round(interval?.high) } : {})
			};
		})
	};
}

/** Whether the data support a percentage change from `prev` to `last`. */
export function supportsChange(prev: Pick<TimePoint, 'count' | 'value'>, last: Pick<TimePoint, 'count' | 'value'>): boolean {
	return (
		prev.value != null && last.value != null && prev.value > 0 && (prev.count ?? 0) >= MIN_COUNT_FOR_CHANGE && (last.count ?? 0) >= MIN_COUNT_FOR_CHANGE
	);
}

export function overTimeSummary(
	d: OverTime,
	locale: string,
	name: (p: TimePoint) => string,
	msgs: {
		count: Msg<{ k: number; total: string; from: string; to: string; peak: string; peakValue: string }>;
		rate: Msg<{ first: string; last: string; from: string; to: string; peak: string; peakValue: string }>;
		change: Msg<{ prev: string; last: string; change: string }>;
		/** Said instead of a change when either period has fewer than MIN_COUNT_FOR_CHANGE allegations; without it nothing is said. */
		tooFew?: Msg<{ prev: string; last: string; prevN: string; lastN: string }>;
	}
): string {
	const pts = d.points.filter((p) => p.value != null);
	if (!pts.length) return '';
	const fmt = (v: number | null) => (d.measure === 'count' ? formatInt(locale, v) : formatRate(locale, v));
	const peak = pts.reduce((a, b) => ((b.value ?? 0) > (a.value ?? 0) ? b : a));
	const first = pts[0];
	const last = pts[pts.length - 1];
	let text =
		d.measure === 'count'
			? msgs.count({ k: pts.reduce((s, p) => s + (p.count ?? 0), 0), total: formatInt(locale, pts.reduce((s, p) => s + (p.count ?? 0), 0)), from: name(first), to: name(last), peak: name(peak), peakValue: fmt(peak.value) })
			: msgs.rate({ first: fmt(first.value), last: fmt(last.value), from: name(first), to: name(last), peak: name(peak), peakValue: fmt(peak.value) });
	if (pts.length >= 2) {
		const prev = pts[pts.length - 2];
		// A change is stated only when both periods hold enough allegations to support it.
		if (supportsChange(prev, last)) text += ' ' + msgs.change({ prev: name(prev), last: name(last), change: formatChange(locale, prev.value ?? 0, last.value ?? 0) });
		else if (msgs.tooFew) text += ' ' + msgs.tooFew({ prev: name(prev), last: name(last), prevN: formatInt(locale, prev.count ?? 0), lastN: formatInt(locale, last.count ?? 0) });
	}
	return text;
}

// --- by type ---------------------------------------------------------------------------------

export function byTypeTable(d: ByType, typeName: (code: string | null) => string, yearLabel: string): ChartTable {
	return {
		columns: [{ key: 'year', label: yearLabel }, ...d.types.map((t) => ({ key: t.code ?? 'withheld', label: typeName(t.code), numeric: true }))],
		rows: d.years.map((year, i) => Object.fromEntries([['year', year], ...d.types.map((t) => [t.code ?? 'withheld', t.counts[i]])]))
	};
}

export interface TypeChange {
	code: string | null;
	from: number;
	to: number;
}

/** The type whose count changed most (in absolute terms) between the last two years shown. */
export function biggestTypeChange(d: ByType): TypeChange | null {
	const n = d.years.length;
	if (n < 2 || !d.types.length) return null;
	let best: TypeChange | null = null;
	for (const t of d.types) {
		const c = { code: t.code, from: t.counts[n - 2], to: t.counts[n - 1] };
		if (!best || Math.abs(c.to - c.from) > Math.abs(best.to - best.from)) best = c;
	}
	return best;
}

export function byTypeSummary(
	d: ByType,
	locale: string,
	typeName: (code: string | null) => string,
	msgs: { summary: Msg<{ top: string; n: string; total: string }>; change: Msg<{ prev: string; last: string; type: string; change: string; delta: string }> }
): string {
	const top = d.types[0];
	if (!top) return '';
	const total = d.types.reduce((s, t) => s + t.total, 0);
	let text = msgs.summary({ top: typeName(top.code), n: formatInt(locale, top.total), total: formatInt(locale, total) });
	const c = biggestTypeChange(d);
	// No percentage from or to a handful of allegations (a change from 0 has none at all).
	if (c && c.from >= MIN_COUNT_FOR_CHANGE && c.to >= MIN_COUNT_FOR_CHANGE) {
		const n = d.years.length;
		const delta = c.to - c.from;
		text +=
			' ' +
			msgs.change({
				prev: String(d.years[n - 2]),
				last: String(d.years[n - 1]),
				type: typeName(c.code),
				change: formatChange(locale, c.from, c.to),
				delta: (delta > 0 ? '+' : delta < 0 ? '−' : '') + formatInt(locale, Math.abs(delta))
			});
	}
	return text;
}

// --- categories ------------------------------------------------------------------------------

export function categoryTable(
	rows: CategoryCount[],
	name: (code: string | null) => string,
	labels: { category: string; code: string; count: string; share: string }
): ChartTable {
	const total = rows.reduce((s, r) => s + r.n, 0);
	return {
		columns: [
			{ key: 'category', label: labels.category },
			{ key: 'code', label: labels.code },
			{ key: 'n', label: labels.count, numeric: true },
			{ key: 'share', label: labels.share, numeric: true }
		],
		rows: rows.map((r) => ({ category: name(r.code), code: r.code ?? '', n: r.n, share: total ? Math.round((r.n / total) * 10000) / 10000 : null }))
	};
}

export function categorySummary(rows: CategoryCount[], locale: string, name: (code: string | null) => string, msg: Msg<{ top: string; n: string; share: string; total: string }>): string {
	if (!rows.length) return '';
	const total = rows.reduce((s, r) => s + r.n, 0);
	const top = rows.reduce((a, b) => (b.n > a.n ? b : a));
	return msg({ top: name(top.code), n: formatInt(locale, top.n), share: formatPart(locale, total ? top.n / total : null), total: formatInt(locale, total) });
}

// --- outcomes --------------------------------------------------------------------------------

export function outcomesTable(steps: FunnelStep[], stageName: (stage: string) => string, labels: { stage: string; code: string; reached: string; share: string }): ChartTable {
	return {
		columns: [
			{ key: 'stage', label: labels.stage },
			{ key: 'code', label: labels.code },
			{ key: 'n', label: labels.reached, numeric: true },
			{ key: 'share', label: labels.share, numeric: true }
		],
		rows: steps.map((s) => ({ stage: stageName(s.stage), code: s.stage, n: s.n, share: s.share == null ? null : Math.round(s.share * 10000) / 10000 }))
	};
}

export function outcomesSummary(
	steps: FunnelStep[],
	locale: string,
	msg: Msg<{ k: number; total: string; inv: string; invShare: string; court: string; courtShare: string; conv: string; convShare: string }>
): string {
	const by = Object.fromEntries(steps.map((s) => [s.stage, s]));
	if (!by.registered) return '';
	const pct = (s: FunnelStep | undefined) => formatPart(locale, s?.share ?? null);
	return msg({
		k: by.registered.n,
		total: formatInt(locale, by.registered.n),
		inv: formatInt(locale, by.under_investigation?.n),
		invShare: pct(by.under_investigation),
		court: formatInt(locale, by.sent_to_court?.n),
		courtShare: pct(by.sent_to_court),
		conv: formatInt(locale, by.conviction?.n),
		convShare: pct(by.conviction)
	});
}

// --- notes shared by the charts ---------------------------------------------------------------

export interface FilterNoteMsgs {
	regionWithheld: Msg<{ k: number; n: string }>;
	ftypeWithheld: Msg<{ k: number; n: string }>;
	newRegion: Msg<{ region: string; date: string; year: string }>;
}

/**
 * Notes every chart of the page carries under the current filters: records a region or facility
 * type filter cannot place (their value was withheld), and selected regions that did not exist
 * for the whole span shown.
 */
export function filterNotes(
	v: Pick<AllegationsView, 'withheld' | 'newRegions' | 'regionFilter' | 'ftypeFilter'>,
	locale: string,
	regionName: (code: string) => string,
	formatDate: (iso: string) => string,
	msgs: FilterNoteMsgs
): string[] {
	const notes: string[] = [];
	if (v.regionFilter.length && v.withheld.region > 0) notes.push(msgs.regionWithheld({ k: v.withheld.region, n: formatInt(locale, v.withheld.region) }));
	if (v.ftypeFilter.length && v.withheld.ftype > 0) notes.push(msgs.ftypeWithheld({ k: v.withheld.ftype, n: formatInt(locale, v.withheld.ftype) }));
	for (const r of v.newRegions) notes.push(msgs.newRegion({ region: regionName(r.code), date: formatDate(r.created), year: String(r.firstFullYear) }));
	return notes;
}
