/** Locale-aware number and date formats. Intl in browsers and Node (full ICU) knows kk, ru, en. */
export type Locale = 'en' | 'ru' | 'kk';

const cache = new Map<string, Intl.NumberFormat>();
/**
 * Kazakh writes numbers as Russian does (1 234 567,5), but some browsers' ICU has no Kazakh data and
 * falls back to English (1,234,567.5), which would also differ from the build-time HTML. Use ru.
 */
function numberLocale(locale: string): string {
	return locale === 'kk' ? 'ru' : locale;
}
function nf(locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
	locale = numberLocale(locale);
	const key = locale + JSON.stringify(opts);
	let f = cache.get(key);
	if (!f) {
		f = new Intl.NumberFormat(locale, opts);
		cache.set(key, f);
	}
	return f;
}

export function formatInt(locale: string, n: number | null | undefined): string {
	return n == null || !Number.isFinite(n) ? '–' : nf(locale, { maximumFractionDigits: 0 }).format(n);
}

export function formatNumber(locale: string, n: number | null | undefined, digits = 1): string {
	return n == null || !Number.isFinite(n) ? '–' : nf(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}

export function formatPercent(locale: string, share: number | null | undefined, digits = 0): string {
	return share == null || !Number.isFinite(share) ? '–' : nf(locale, { style: 'percent', maximumFractionDigits: digits }).format(share);
}

/** A signed relative change, "+34%" / "−12%". */
export function formatChange(locale: string, from: number, to: number): string {
	if (!from) return '–';
	return nf(locale, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format((to - from) / from);
}

export function formatMonth(locale: string, isoDate: string): string {
	const d = new Date(isoDate + 'T00:00:00Z');
	// Chromium's ICU lacks Kazakh month names ("2022 M06"): numeric months for kk.
	if (locale === 'kk') return new Intl.DateTimeFormat('ru', { year: 'numeric', month: '2-digit', timeZone: 'UTC' }).format(d);
	return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(d);
}

/** A calendar date. Kazakh month names are missing from some ICU builds, so ru/kk use dd.mm.yyyy. */
export function formatDate(locale: string, isoDate: string): string {
	const d = new Date(isoDate + 'T00:00:00Z');
	const opts: Intl.DateTimeFormatOptions =
		locale === 'en' ? { dateStyle: 'long', timeZone: 'UTC' } : { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' };
	return new Intl.DateTimeFormat(locale === 'kk' ? 'ru' : locale, opts).format(d);
}
