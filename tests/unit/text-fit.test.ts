import { describe, expect, it } from 'vitest';
import { abbreviate, fitText, pickLabel, textWidth, tickAnchor, wrapText } from '../../src/lib/charts/text-fit.svelte';

// Before hydration (here: no DOM) widths are estimated from the characters: the same numbers on
// the server and in the first client render, so the markup hydrates without a mismatch.
describe('text-fit (estimates)', () => {
	it('estimates a width that grows with the text and the font size', () => {
		expect(textWidth('', 12)).toBe(0);
		expect(textWidth('Караганды', 12)).toBeGreaterThan(textWidth('Караг.', 12));
		expect(textWidth('Павлодар', 12)).toBeCloseTo(textWidth('Павлодар', 6) * 2, 6);
		// Nine letters of 0.6 em and one capital of 0.72 em at 10 px.
		expect(textWidth('Аааааааааа', 10)).toBeCloseTo(7.2 + 9 * 6, 6);
	});

	it('cuts a text with an ellipsis only when it does not fit, and the cut fits', () => {
		expect(fitText('Абай', 100, 12)).toBe('Абай');
		const cut = fitText('Солтүстік Қазақстан облысы', 80, 12);
		expect(cut.endsWith('…')).toBe(true);
		expect('Солтүстік Қазақстан облысы'.startsWith(cut.slice(0, -1))).toBe(true);
		expect(textWidth(cut, 12)).toBeLessThanOrEqual(80);
		expect(textWidth(fitText('Солтүстік Қазақстан облысы', 80 + 30, 12), 12)).toBeGreaterThan(textWidth(cut, 12));
	});

	it('abbreviates after a consonant that comes before a vowel, with a full stop', () => {
		// М 0.9 em, а ң ғ 0.6 em each, the full stop 0.33 em: 30.3 px at 10 px; "Маңғыст." is 52.9 px.
		expect(abbreviate('Маңғыстау', 34, 10)).toBe('Маңғ.');
		expect(abbreviate('Маңғыстау', 53, 10)).toBe('Маңғыст.');
		// No cut after a consonant fits: an ellipsis, as fitText.
		expect(abbreviate('Маңғыстау', 30, 10)).toBe(fitText('Маңғыстау', 30, 10));
		expect(abbreviate('Абай', 100, 10)).toBe('Абай');
	});

	it('picks the first label and the largest size that fit, and cuts the last one otherwise', () => {
		expect(pickLabel(['Қарағанды', 'Қараған.'], 60, [11, 10, 9])).toEqual({ text: 'Қарағанды', size: 10, cut: false });
		expect(pickLabel(['Қарағанды', 'Қар.'], 30, [11, 10, 9])).toEqual({ text: 'Қар.', size: 11, cut: false });
		const none = pickLabel(['Қарағанды', 'Қараған.'], 20, [10, 9]);
		expect(none.cut).toBe(true);
		expect(none.size).toBe(9);
		expect(textWidth(none.text, 9)).toBeLessThanOrEqual(20);
	});

	it('wraps at spaces into at most the given lines, each within the width', () => {
		const text = 'Жылына 100 000 тұрғынға шаққандағы хабарламалар';
		const lines = wrapText(text, 150, 12, 2);
		expect(lines.length).toBe(2);
		for (const l of lines) expect(textWidth(l, 12)).toBeLessThanOrEqual(150);
		expect(wrapText(text, 2000, 12, 2)).toEqual([text]);
		expect(wrapText(text, 1000, 12, 3).join(' ')).toBe(text);
	});

	it('anchors edge ticks inward', () => {
		expect(tickAnchor(2, 0, 300, 10)).toBe('start');
		expect(tickAnchor(150, 0, 300, 10)).toBe('middle');
		expect(tickAnchor(295, 0, 300, 10)).toBe('end');
	});
});
