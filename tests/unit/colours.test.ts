/**
 * Categorical colours a reader must tell apart (the recommendation statuses, drawn side by side in
 * stacked bars) differ by at least a minimum CIE76 colour difference (ΔE*ab, Euclidean distance in
 * CIELAB), in the light and the dark scheme, for normal colour vision and under simulated
 * deuteranopia and protanopia (Machado, Oliveira & Fernandes 2009, severity 1.0). The colours are
 * read from src/app.css, as the browser resolves the variables.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { STATUS_COLOR } from '../../src/lib/views/recommendations';

const css = readFileSync('src/app.css', 'utf8');
const variable = (name: string): [string, string] => {
	const m = new RegExp(`--${name}:\\s*light-dark\\((#[0-9a-f]{6}),\\s*(#[0-9a-f]{6})\\)`, 'i').exec(css);
	if (!m) throw new Error(`src/app.css has no light-dark() value for --${name}`);
	return [m[1], m[2]];
};

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const fromLinear = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);

type Vision = 'normal' | 'deuteranopia' | 'protanopia';
const MACHADO: Record<Exclude<Vision, 'normal'>, number[][]> = {
	deuteranopia: [
		[0.367322, 0.860646, -0.227968],
		[0.280085, 0.672501, 0.047413],
		[-0.01182, 0.04294, 0.968881]
	],
	protanopia: [
		[0.152286, 1.052583, -0.204868],
		[0.114503, 0.786281, 0.099216],
		[-0.003882, -0.048116, 1.051998]
	]
};

function lab(hex: string, vision: Vision): [number, number, number] {
	let lin = rgb(hex).map(toLinear);
	if (vision !== 'normal') {
		const m = MACHADO[vision];
		lin = m.map((row) => Math.min(1, Math.max(0, row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2])));
		lin = lin.map((c) => toLinear(fromLinear(c)));
	}
	const [r, g, b] = lin;
	const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
	const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
	const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
	const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
	return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const deltaE = (a: string, b: string, v: Vision) => Math.hypot(...lab(a, v).map((c, i) => c - lab(b, v)[i]));

/**
 * Distinct hues (not started, rejected, no information, against each other and the blue ramp)
 * must be well apart; the palette before this test had "not started"/"rejected" at 13.8 for a
 * deuteranope in dark mode and "in progress"/"no information" at 20.5 in light mode.
 */
const MIN_NORMAL = 25;
const MIN_CVD = 15;
/** ...the steps of the blue ramp (in progress, partly, implemented) only clearly apart. */
const RAMP = new Set(['in_progress', 'partially_implemented', 'implemented']);
const MIN_RAMP = 12;

describe('categorical colours stay apart', () => {
	it('the colour difference is the textbook one (positive controls)', () => {
		expect(deltaE('#000000', '#ffffff', 'normal')).toBeCloseTo(100, 1);
		expect(deltaE('#ff0000', '#00ff00', 'normal')).toBeGreaterThan(80);
		// Red and green collapse for a deuteranope and a protanope: the simulation works.
		expect(deltaE('#ff0000', '#00ff00', 'deuteranopia')).toBeLessThan(deltaE('#ff0000', '#00ff00', 'normal') / 4);
		expect(deltaE('#ff0000', '#00ff00', 'protanopia')).toBeLessThan(deltaE('#ff0000', '#00ff00', 'normal') / 2);
	});

	it('recommendation statuses, every pair, both schemes, three kinds of vision', () => {
		const entries = Object.entries(STATUS_COLOR).map(([k, v]) => [k, variable(/var\(--([a-z0-9-]+)\)/.exec(v)![1])] as const);
		const worst: string[] = [];
		for (const [scheme, i] of [['light', 0], ['dark', 1]] as const)
			for (const vision of ['normal', 'deuteranopia', 'protanopia'] as const)
				for (let a = 0; a < entries.length; a++)
					for (let b = a + 1; b < entries.length; b++) {
						const d = deltaE(entries[a][1][i], entries[b][1][i], vision);
						const ramp = RAMP.has(entries[a][0]) && RAMP.has(entries[b][0]);
						if (d < (ramp ? MIN_RAMP : vision === 'normal' ? MIN_NORMAL : MIN_CVD)) worst.push(`${entries[a][0]}/${entries[b][0]} ${scheme} ${vision}: ΔE ${d.toFixed(1)}`);
					}
		expect(worst).toEqual([]);
	});
});
