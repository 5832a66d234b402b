import { describe, expect, it } from 'vitest';
import { formatChange, formatDate, formatInt, formatMonth, formatPercent } from '../../src/lib/i18n/format';

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
		expect(formatChange('en', 100, 88)).toBe('-12%');
	});
	it('Kazakh dates avoid month names that some ICU builds lack', () => {
		expect(formatDate('kk', '2022-06-08')).toBe('08.06.2022');
		expect(formatMonth('kk', '2022-06-01')).toBe('06.2022');
		expect(formatDate('en', '2022-06-08')).toBe('June 8, 2022');
	});
});
