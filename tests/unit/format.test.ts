import { describe, expect, it } from 'vitest';
import { regionLabel, regions } from '../../src/lib/state/reference';
import { compareText, dayMonthYearLabel, formatChange, formatDate, formatInt, formatMonth, formatNumber, formatPercent, monthYearLabel } from '../../src/lib/i18n/format';

describe('locale formats', () => {
	it.each([
		['en', 1234567, '1,234,567'],
		['ru', 1234567, '1 234 567'],
		['kk', 1234567, '1 234 567']
	])('formatInt %s', (locale, n, text) => {
		expect(formatInt(locale, n).replace(/\u00a0|\u202f/g, ' ')).toBe(text);
	});
	it('missing values are a dash, not zero', () => {
		expect(formatInt('en', null)).toBe('–');
		expect(formatPercent('ru', Number.NaN)).toBe('–');
		expect(formatChange('en', 0, 5)).toBe('–');
	});
	it('relative change is signed', () => {
		expect(formatChange('en', 100, 134)).toBe('+34%');
		expect(formatChange('en', 100, 88)).toBe('\u221212%');
	});
	it('Kazakh dates avoid month names that some ICU builds lack', () => {
		expect(formatDate('kk', '2022-06-08')).toBe('08.06.2022');
		expect(formatMonth('kk', '2022-06-01')).toBe('06.2022');
		expect(formatDate('en', '2022-06-08')).toBe('June 8, 2022');
	});
});

describe('written-out month names equal what Intl writes', () => {
	for (const locale of ['en', 'ru']) {
		it(locale, () => {
			for (let m = 1; m <= 12; m++) {
				const d = new Date(Date.UTC(2022, m - 1, 5));
				const utc = { timeZone: 'UTC' } as const;
				expect(monthYearLabel(locale, 2022, m)).toBe(new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', ...utc }).format(d));
				expect(dayMonthYearLabel(locale, 2022, m, 5)).toBe(new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', ...utc }).format(d));
			}
		});
	}
	it('kk is numeric (no Kazakh month names in the ICU data of Chromium and Node)', () => {
		expect(monthYearLabel('kk', 2014, 4)).toBe('04.2014');
		expect(dayMonthYearLabel('kk', 2022, 1, 5)).toBe('05.01.2022');
	});
});

describe('the written-out number formats equal Intl.NumberFormat, with U+2212 for its hyphen-minus', () => {
	const intl = (locale: string, opts: Intl.NumberFormatOptions) => {
		const f = new Intl.NumberFormat(locale === 'kk' ? 'ru' : locale, opts);
		return { format: (n: number) => f.format(n).replace('-', '\u2212') };
	};
	it('writes one minus sign, U+2212, in every language and format, never a hyphen', () => {
		for (const locale of ['en', 'ru', 'kk']) {
			expect(formatInt(locale, -1234)).toMatch(/^\u2212\d/);
			expect(formatNumber(locale, -3.25, 1)).toMatch(/^\u2212/);
			expect(formatPercent(locale, -0.5)).toMatch(/^\u2212/);
			expect(formatChange(locale, 10, 5)).toMatch(/^\u221250/);
			expect(formatChange(locale, 10, 15)).toMatch(/^\+50/);
			for (const s of [formatInt(locale, -5), formatNumber(locale, -1e-9, 2), formatPercent(locale, -1e20), formatChange(locale, 1, -1e20)]) expect(s).not.toContain('-');
		}
	});
	// Integers, halves (the rounding edge), shares, ratios, negatives, zeros, large counts.
	let seed = 7;
	const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
	const values = [0, -0, 1, -1, 999, 1000, 999999999999999, -999999999999999, 1e15 - 1, 0.5, 1.5, 2.5, -2.5, 1.005, 0.145, 0.125, -0.004, 0.0049, 0.995, 9.995, 999.5, 1234, 12345.678, 1e6, 123456789, -1234.5, 0.1 + 0.2, 1e-7, 2e15];
	for (let i = 0; i < 1500; i++) {
		const mag = 10 ** Math.floor(rnd() * 9 - 3);
		values.push((rnd() - 0.3) * mag, Math.round(rnd() * 1e5) / 1000, Math.round(rnd() * 2000) / 1000 - 1);
		// Whole numbers of every size up to 10^15 (counts take a shortcut in format.ts).
		values.push(Math.round((rnd() - 0.3) * 10 ** Math.floor(rnd() * 16)));
	}
	for (const locale of ['en', 'ru', 'kk']) {
		it(locale, () => {
			for (const v of values) {
				expect(formatInt(locale, v), `formatInt ${v}`).toBe(intl(locale, { maximumFractionDigits: 0 }).format(v));
				for (const d of [0, 1, 2]) {
					expect(formatNumber(locale, v, d), `formatNumber ${v} ${d}`).toBe(intl(locale, { maximumFractionDigits: d, minimumFractionDigits: 0 }).format(v));
					expect(formatPercent(locale, v, d), `formatPercent ${v} ${d}`).toBe(intl(locale, { style: 'percent', maximumFractionDigits: d }).format(v));
				}
				expect(formatChange(locale, 1, 1 + v), `formatChange ${v}`).toBe(intl(locale, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(1 + v - 1));
			}
		});
	}
});

describe('compareText sorts names as Intl.Collator does', () => {
	for (const locale of ['en', 'ru', 'kk']) {
		it(`every region name in ${locale}`, () => {
			const names = regions.map((r) => regionLabel(r.code, locale));
			const collator = new Intl.Collator(locale);
			expect([...names].sort((a, b) => compareText(locale, a, b))).toEqual([...names].sort(collator.compare));
			// Pairwise too: a sort can hide a wrong comparison that its input order made irrelevant.
			for (const a of names) for (const b of names) expect(Math.sign(compareText(locale, a, b)), `${a} / ${b}`).toBe(Math.sign(collator.compare(a, b)));
		});
	}
});
