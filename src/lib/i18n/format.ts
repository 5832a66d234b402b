/** Locale-aware number and date formats. Intl in browsers and Node (full ICU) knows kk, ru, en. */
export type Locale = 'en' | 'ru' | 'kk';

/** Making an Intl object costs far more than using it: one per locale and options. */
const intlCache = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
	if (!intlCache.has(key)) intlCache.set(key, make());
	return intlCache.get(key) as T;
}
/**
 * Kazakh writes numbers as Russian does (1 234 567,5), but some browsers' ICU has no Kazakh data and
 * falls back to English (1,234,567.5), which would also differ from the build-time HTML. Use ru.
 */
function numberLocale(locale: string): string {
	return locale === 'kk' ? 'ru' : locale;
}
/** The one minus sign of every number the site writes: U+2212, as the charts' axes (d3) have it. */
export const MINUS = '\u2212';

/** Intl.NumberFormat whose `format` writes U+2212 for the hyphen-minus Intl gives in en and ru. */
function nf(locale: string, opts: Intl.NumberFormatOptions): { format: (n: number) => string } {
	locale = numberLocale(locale);
	const f = cached(`nf ${locale} ${JSON.stringify(opts)}`, () => new Intl.NumberFormat(locale, opts));
	return { format: (n: number) => f.format(n).replace('-', MINUS) };
}

function dtf(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	return cached(`dtf ${locale} ${JSON.stringify(opts)}`, () => new Intl.DateTimeFormat(locale, opts));
}

/*
 * Alphabetical order of names (regions) without Intl.Collator, whose first use would load ICU's
 * data during hydration (50-60 ms). Letters rank by these alphabets (Kazakh's own order for kk;
 * for ru and en the Unicode default order, which puts Kazakh letters after their base letters and
 * treats ё as е), case and punctuation only break ties. A unit test checks the order of every
 * region name in each language against Intl.Collator.
 */
const ALPHABETS: Record<string, string[]> = {
	kk: [...'аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя'],
	ru: [...'аәбвгғдежзиійкқлмнңоөпрстуүұфхһцчшщъыьэюя']
};
const LATIN = 'abcdefghijklmnopqrstuvwxyz';

function sortKey(locale: string, text: string): number[] {
	const alphabet = ALPHABETS[locale] ?? ALPHABETS.ru;
	const key: number[] = [];
	for (const ch of text.toLowerCase()) {
		const c = locale !== 'kk' && ch === 'ё' ? 'е' : ch;
		const latin = LATIN.indexOf(c);
		const cyr = alphabet.indexOf(c);
		if (c >= '0' && c <= '9') key.push(100 + Number(c));
		else if (latin >= 0) key.push(200 + latin);
		else if (cyr >= 0) key.push(300 + cyr);
		else if (/\s/.test(c)) key.push(1);
		else key.push(10 + (' _-,;:!?.\'"()[]{}'.indexOf(c) + 1 || 50));
	}
	return key;
}

/** Codes (ASCII) in code-unit order, as SQL's ORDER BY has them; no collator. */
export function byCode(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Compare names in a locale's alphabetical order. */
export function compareText(locale: string, a: string, b: string): number {
	const ka = sortKey(locale, a);
	const kb = sortKey(locale, b);
	for (let i = 0; i < Math.min(ka.length, kb.length); i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
	return ka.length - kb.length || (a < b ? -1 : a > b ? 1 : 0);
}

/*
 * The dashboard's number formats, written out: the first Intl object of a page costs Chromium
 * 50-60 ms (it loads its ICU data), inside the hydration of every page. These give exactly what
 * Intl.NumberFormat gives for the options named in each function (en; ru, also for kk), which a
 * unit test checks over thousands of values; anything out of their range goes to Intl.
 */
const SYMBOLS: Record<string, { group: string; decimal: string; percent: string }> = {
	en: { group: ',', decimal: '.', percent: '%' },
	ru: { group: '\u00a0', decimal: ',', percent: '\u00a0%' }
};

/**
 * |n| x 10^shift rounded to `digits` decimals, half away from zero on the shortest decimal form of
 * n (as ICU does), without trailing zeros; null when n is too large or small for this path.
 */
function decimalDigits(n: number, digits: number, shift: number): string | null {
	const a = Math.abs(n);
	if (a !== 0 && (a < 1e-6 || a >= 1e15)) return null;
	// Most numbers on the charts are counts: a whole number needs no rounding (String is fixed notation below 1e21).
	if (shift === 0 && Number.isInteger(a)) return String(a);
	// String(a) is the shortest decimal that reads back as a (fixed notation in this range).
	const [whole, part = ''] = String(a).split('.');
	const frac = part.padEnd(shift + digits + 1, '0');
	let num = (whole + frac.slice(0, shift + digits)).replace(/^0+(?=\d)/, '');
	if (frac.charCodeAt(shift + digits) >= 53) num = String(BigInt(num) + 1n); // next digit >= 5: away from zero
	num = num.padStart(digits + 1, '0');
	const int = num.slice(0, num.length - digits);
	const dec = num.slice(num.length - digits).replace(/0+$/, '');
	return dec ? `${int}.${dec}` : int;
}

function writeNumber(locale: string, n: number, digits: number, percent: boolean, sign: 'auto' | 'exceptZero'): string | null {
	const sym = SYMBOLS[numberLocale(locale)];
	if (!sym) return null;
	const text = decimalDigits(n, digits, percent ? 2 : 0);
	if (text === null) return null;
	const [int, frac] = text.split('.');
	const grouped = int.replace(/\B(?=(\d{3})+$)/g, sym.group);
	const body = (frac ? `${grouped}${sym.decimal}${frac}` : grouped) + (percent ? sym.percent : '');
	const zero = /^[0.]*$/.test(text);
	const negative = n < 0 || Object.is(n, -0);
	if (sign === 'exceptZero') return zero ? body : `${negative ? MINUS : '+'}${body}`;
	return negative ? `${MINUS}${body}` : body;
}

export function formatInt(locale: string, n: number | null | undefined): string {
	if (n == null || !Number.isFinite(n)) return '–';
	return writeNumber(locale, n, 0, false, 'auto') ?? nf(locale, { maximumFractionDigits: 0 }).format(n);
}

export function formatNumber(locale: string, n: number | null | undefined, digits = 1): string {
	if (n == null || !Number.isFinite(n)) return '–';
	return writeNumber(locale, n, digits, false, 'auto') ?? nf(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}

export function formatPercent(locale: string, share: number | null | undefined, digits = 0): string {
	if (share == null || !Number.isFinite(share)) return '–';
	return writeNumber(locale, share, digits, true, 'auto') ?? nf(locale, { style: 'percent', maximumFractionDigits: digits }).format(share);
}

/** A signed relative change, "+34%" / "−12%" (U+2212). */
export function formatChange(locale: string, from: number, to: number): string {
	if (!from) return '–';
	const x = (to - from) / from;
	if (!Number.isFinite(x)) return nf(locale, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(x);
	return writeNumber(locale, x, 0, true, 'exceptZero') ?? nf(locale, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(x);
}

/*
 * Short month names, as Intl.DateTimeFormat writes them for { month: 'short' } with a year (ru:
 * standalone form) and with a day (ru: genitive form); a unit test checks them against Intl. Written
 * out because the first Intl.DateTimeFormat of a page costs Chromium about 90 ms (its pattern
 * generator), and the charts' key dates are formatted while the page hydrates.
 */
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_RU = ['янв.', 'февр.', 'март', 'апр.', 'май', 'июнь', 'июль', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'];
const MONTHS_RU_OF = ['янв.', 'февр.', 'мар.', 'апр.', 'мая', 'июн.', 'июл.', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'];

/** "Apr 2014", "апр. 2014 г.", "04.2014" (kk: Chromium's ICU has no Kazakh month names). month: 1-12. */
export function monthYearLabel(locale: string, year: number, month: number): string {
	if (locale === 'kk') return `${String(month).padStart(2, '0')}.${year}`;
	if (locale === 'ru') return `${MONTHS_RU[month - 1]} ${year} г.`;
	return `${MONTHS_EN[month - 1]} ${year}`;
}

/** "Apr 5, 2014", "5 апр. 2014 г.", "05.04.2014". month: 1-12. */
export function dayMonthYearLabel(locale: string, year: number, month: number, day: number): string {
	if (locale === 'kk') return `${String(day).padStart(2, '0')}.${String(month).padStart(2, '0')}.${year}`;
	if (locale === 'ru') return `${day} ${MONTHS_RU_OF[month - 1]} ${year} г.`;
	return `${MONTHS_EN[month - 1]} ${day}, ${year}`;
}

export function formatMonth(locale: string, isoDate: string): string {
	const [y, m] = isoDate.split('-').map(Number);
	return monthYearLabel(locale, y, m);
}

/** A calendar date. Kazakh month names are missing from some ICU builds, so ru/kk use dd.mm.yyyy. */
export function formatDate(locale: string, isoDate: string): string {
	const d = new Date(isoDate + 'T00:00:00Z');
	const opts: Intl.DateTimeFormatOptions =
		locale === 'en' ? { dateStyle: 'long', timeZone: 'UTC' } : { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' };
	return dtf(locale === 'kk' ? 'ru' : locale, opts).format(d);
}
