/**
 * Sentences about regions against the national level that respect uncertainty: a region is called
 * above (below) the national value only when its whole 95% interval lies above (below) it, and
 * regions resting on fewer than FEW_CASES records are named as such. Used by the region map and
 * the funnel plot, and among the regions of the recommendation status and conditions heatmap
 * summaries. Pure: no Svelte, no DOM.
 */
import { m } from '$lib/paraglide/messages';
import { compareToReference, FEW_CASES } from '$lib/stats/intervals';

export type Locale = 'en' | 'ru' | 'kk';

export interface Estimate {
	name: string;
	value: number | null;
	low: number | null;
	high: number | null;
	/** Records behind the value. */
	n: number;
}

export interface Classified<T extends Estimate = Estimate> {
	/** Interval wholly above the reference, highest value first. */
	above: T[];
	/** Interval wholly below the reference, lowest value first. */
	below: T[];
	/** Interval includes the reference (or no interval). */
	within: T[];
	/** Fewer than FEW_CASES records, in the order given. */
	few: T[];
}

/** Sorts estimates with a value by where their interval lies against `reference`. */
export function classify<T extends Estimate>(rows: T[], reference: number | null): Classified<T> {
	const out: Classified<T> = { above: [], below: [], within: [], few: [] };
	for (const r of rows) {
		if (r.value == null) continue;
		const interval = r.low == null || r.high == null ? null : { low: r.low, high: r.high };
		out[compareToReference(interval, reference)].push(r);
		if (r.n < FEW_CASES) out.few.push(r);
	}
	out.above.sort((a, b) => b.value! - a.value!);
	out.below.sort((a, b) => a.value! - b.value!);
	return out;
}

export interface SummaryOptions {
	locale: Locale;
	/** A value as the chart shows it (e.g. "4.4" or "52%"). */
	format: (v: number) => string;
	/** 'rate': allegations per 100,000 residents; 'share': a share of records. */
	kind: 'rate' | 'share';
	/** false: leave out the sentence that states the reference (the caller has already said it). */
	reference?: boolean;
}

/**
 * The national value, then the regions clearly above and below it (with their values), how many
 * are not clearly different, and which rest on few cases. '' without a national value.
 */
export function uncertaintySummary(rows: Estimate[], reference: number | null, { locale, format, kind, reference: stateReference = true }: SummaryOptions): string {
	if (reference == null) return '';
	const c = classify(rows, reference);
	const list = (rs: Estimate[]) => rs.map((r) => `${r.name} (${format(r.value!)})`).join(', ');
	const o = { locale };
	const parts = stateReference ? [kind === 'rate' ? m.unc_reference_rate({ value: format(reference) }, o) : m.unc_reference_share({ value: format(reference) }, o)] : [];
	if (!c.above.length && !c.below.length) parts.push(m.unc_none({}, o));
	else {
		if (c.above.length) parts.push(m.unc_above({ regions: list(c.above) }, o));
		if (c.below.length) parts.push(m.unc_below({ regions: list(c.below) }, o));
		if (c.within.length) parts.push(m.unc_within({ count: String(c.within.length), total: String(c.above.length + c.below.length + c.within.length) }, o));
	}
	if (c.few.length) {
		const names = c.few.map((r) => r.name).join(', ');
		parts.push(kind === 'rate' ? m.unc_few_allegations({ regions: names }, o) : m.unc_few_records({ regions: names }, o));
	}
	return parts.join(' ');
}
