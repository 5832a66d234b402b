/**
 * Fitting chart labels into the room they have: one place for every chart kind.
 *
 * `textWidth` measures a text in the page's font (a canvas 2D context) once the charts are mounted,
 * and estimates it from its characters before that (at build time and while hydrating), so the
 * build's HTML and the first client render are the same markup; a chart whose labels depend on a
 * width re-derives them when `measured.ready` turns true (ChartFrame sets it on mount).
 *
 * `fitText` cuts a text to a width with an ellipsis (the full text belongs in a <title>, tooltip or
 * table); `pickLabel` chooses the first of several labels (e.g. a name, then its abbreviation) and
 * the largest of several font sizes that fits; `wrapText` breaks a label into lines at spaces;
 * `tickAnchor` keeps the first and last axis labels inside their chart.
 */

/** True once measuring with the real font is allowed (after hydration). */
export const measured = $state({ ready: false });

let ctx: CanvasRenderingContext2D | null | undefined;
let family = 'system-ui, sans-serif';
const cache = new Map<string, number>();

/** Call once the charts are mounted: from then on widths are measured in the page's font. */
export function enableMeasuring(): void {
	if (measured.ready || typeof document === 'undefined') return;
	try {
		ctx = document.createElement('canvas').getContext('2d');
		family = getComputedStyle(document.body).fontFamily || family;
	} catch {
		ctx = null;
	}
	measured.ready = true;
}

/** Width in em of one character, by kind: a generous estimate for sans-serif fonts. */
function charEm(ch: string): number {
	if (/[ .,:;'’|!il1ıіIјtfr()\-–]/.test(ch)) return 0.33;
	if (/[mwшщжюыМШЩЖЮЫMW%]/.test(ch)) return 0.9;
	if (/[0-9]/.test(ch)) return 0.6;
	if (ch !== ch.toLowerCase()) return 0.72;
	return 0.6;
}

/** The width in px of `text` at `size` px (and `weight`). */
export function textWidth(text: string, size: number, weight: number | string = 400): number {
	if (measured.ready && ctx) {
		const key = `${weight}|${size}|${text}`;
		let w = cache.get(key);
		if (w === undefined) {
			ctx.font = `${weight} ${size}px ${family}`;
			w = ctx.measureText(text).width;
			if (cache.size > 5000) cache.clear();
			cache.set(key, w);
		}
		return w;
	}
	let em = 0;
	for (const ch of text) em += charEm(ch);
	return em * size * (Number(weight) >= 600 ? 1.06 : 1);
}

/** `text` as it fits in `maxPx` at `size` px: whole, or cut with an ellipsis (at least one letter). */
export function fitText(text: string, maxPx: number, size: number, weight: number | string = 400): string {
	if (textWidth(text, size, weight) <= maxPx) return text;
	const chars = [...text];
	let lo = 1;
	let hi = chars.length - 1;
	while (lo < hi) {
		const mid = Math.ceil((lo + hi) / 2);
		if (textWidth(chars.slice(0, mid).join('').trimEnd() + '…', size, weight) <= maxPx) lo = mid;
		else hi = mid - 1;
	}
	return chars.slice(0, lo).join('').trimEnd() + '…';
}

/**
 * The first label (in order of preference) and the largest font size (sizes in decreasing order)
 * with which it fits `maxPx`; if none fits, the last label at the smallest size, cut to fit.
 */
export function pickLabel(labels: string[], maxPx: number, sizes: number[], weight: number | string = 400): { text: string; size: number; cut: boolean } {
	for (const text of labels) for (const size of sizes) if (textWidth(text, size, weight) <= maxPx) return { text, size, cut: false };
	const size = sizes[sizes.length - 1];
	const last = labels[labels.length - 1];
	return { text: fitText(last, maxPx, size, weight), size, cut: true };
}

/** `text` broken at spaces into at most `maxLines` lines of at most `maxPx`; the last one cut if need be. */
export function wrapText(text: string, maxPx: number, size: number, maxLines = 2, weight: number | string = 400): string[] {
	const words = text.split(/\s+/).filter(Boolean);
	const lines: string[] = [];
	let line = '';
	for (let i = 0; i < words.length; i++) {
		const next = line ? `${line} ${words[i]}` : words[i];
		if (!line || textWidth(next, size, weight) <= maxPx) {
			line = next;
			continue;
		}
		lines.push(line);
		line = words[i];
		if (lines.length === maxLines - 1) {
			line = words.slice(i).join(' ');
			break;
		}
	}
	if (line) lines.push(line);
	return lines.map((l) => fitText(l, maxPx, size, weight));
}

/** The text-anchor of an axis label at `x` in [lo, hi] so that a label of `halfPx` each side stays inside. */
export function tickAnchor(x: number, lo: number, hi: number, halfPx: number): 'start' | 'middle' | 'end' {
	if (x - halfPx < lo) return 'start';
	if (x + halfPx > hi) return 'end';
	return 'middle';
}

const VOWELS = /[aeiouyаеёиоуыэюяәіөүұ]/i;

/**
 * An abbreviation of `text` that fits `maxPx` at `size` px, as abbreviations are written: cut after
 * a consonant that comes before a vowel, with a full stop ("Караганды" -> "Караг."). A text that
 * already fits, or has no such cut that fits, is returned as `fitText` would.
 */
export function abbreviate(text: string, maxPx: number, size: number): string {
	if (textWidth(text, size) <= maxPx) return text;
	const chars = [...text];
	for (let n = chars.length - 2; n >= 2; n--) {
		const last = chars[n - 1];
		const next = chars[n];
		if (!/\p{L}/u.test(last) || VOWELS.test(last) || !VOWELS.test(next)) continue;
		const cut = chars.slice(0, n).join('') + '.';
		if (textWidth(cut, size) <= maxPx) return cut;
	}
	return fitText(text, maxPx, size);
}
