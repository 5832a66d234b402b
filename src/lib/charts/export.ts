/**
 * Chart export: a self-contained SVG (and a 2x PNG drawn from it) made from the chart's own SVG,
 * with the title, subtitle (definition), an HTML legend if the chart has one, its numbered key
 * dates if it has them, and a footer with the source, the licence and the active filters. Computed styles are inlined (CSS variables
 * resolved to colours) and text uses a system-safe font stack, so the file looks the same outside
 * the site. Browser only (reads computed styles).
 */

export const EXPORT_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif";
const SVG_NS = 'http://www.w3.org/2000/svg';

const STYLE_PROPS = [
	'fill',
	'fill-opacity',
	'stroke',
	'stroke-width',
	'stroke-opacity',
	'stroke-dasharray',
	'stroke-linecap',
	'stroke-linejoin',
	'opacity',
	'font-size',
	'font-weight',
	'font-style',
	'text-anchor',
	'dominant-baseline',
	'visibility',
	'display'
] as const;

export interface ExportText {
	title: string;
	subtitle: string;
	/** Footer lines: source, licence, filters. */
	footer: string[];
}

export interface ExportedSvg {
	svg: string;
	width: number;
	height: number;
}

function escapeXml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Greedy word wrap by an estimated glyph width (no layout engine in a detached SVG). */
export function wrap(text: string, maxWidth: number, fontSize: number): string[] {
	const maxChars = Math.max(10, Math.floor(maxWidth / (fontSize * 0.56)));
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (!line) line = word;
		else if ((line + ' ' + word).length <= maxChars) line += ' ' + word;
		else {
			lines.push(line);
			line = word;
		}
	}
	if (line) lines.push(line);
	return lines;
}

/** Copy the computed presentation styles of every element of `src` onto its twin in `dst`. */
function inlineStyles(src: Element, dst: Element) {
	const cs = getComputedStyle(src);
	const decl: string[] = [];
	for (const p of STYLE_PROPS) {
		const v = cs.getPropertyValue(p);
		if (v) decl.push(`${p}:${v}`);
	}
	decl.push(`font-family:${EXPORT_FONT}`);
	dst.setAttribute('style', decl.join(';'));
	dst.removeAttribute('class');
	for (const a of ['tabindex', 'role', 'aria-hidden', 'focusable']) dst.removeAttribute(a);
	// A chart's links (the tile map's) point into the site: not into a file saved elsewhere.
	if (dst.localName === 'a') dst.removeAttribute('href');
	for (let i = 0; i < src.children.length; i++) inlineStyles(src.children[i], dst.children[i]);
}

interface LegendItem {
	label: string;
	color: string;
}

function legendItems(root: Element): LegendItem[] {
	return Array.from(root.querySelectorAll('.legend li')).map((li) => {
		const sw = li.querySelector('.swatch');
		return { label: li.textContent?.trim() ?? '', color: sw ? getComputedStyle(sw).backgroundColor : 'currentColor' };
	});
}

/** The chart's numbered key dates (LineChart's list under the plot), as lines for the export. */
function keyDates(root: Element): { heading: string; items: string[] } | null {
	const list = root.querySelector('.annotation-list');
	if (!list) return null;
	const items = Array.from(list.querySelectorAll('li')).map((li) => `${li.getAttribute('value') ?? ''}. ${(li.textContent ?? '').trim()}`);
	return items.length ? { heading: (list.querySelector('.annotation-heading')?.textContent ?? '').trim(), items } : null;
}

/** Build the export SVG from a chart frame (the element with data-chart). */
export function buildExportSvg(frame: HTMLElement, text: ExportText): ExportedSvg {
	const chart = frame.querySelector<SVGSVGElement>('.body svg');
	if (!chart) throw new Error('This chart has no SVG to export');
	const cs = getComputedStyle(frame);
	const bg = cs.backgroundColor && cs.backgroundColor !== 'rgba(0, 0, 0, 0)' ? cs.backgroundColor : '#ffffff';
	const fg = cs.color || '#1a1d21';
	const muted = getComputedStyle(frame.querySelector('.definition') ?? frame).color || fg;
	const box = chart.getBoundingClientRect();
	const cw = Math.round(Number(chart.getAttribute('width')) || box.width || 640);
	const ch = Math.round(Number(chart.getAttribute('height')) || box.height || 320);
	const pad = 16;
	const width = Math.max(cw + pad * 2, 360);
	const inner = width - pad * 2;

	const parts: string[] = [];
	let y = pad;
	const textLines = (lines: string[], size: number, weight: number, color: string, gap = 1.3) => {
		for (const l of lines) {
			y += size * gap;
			parts.push(`<text x="${pad}" y="${y.toFixed(1)}" font-size="${size}" font-weight="${weight}" fill="${color}">${escapeXml(l)}</text>`);
		}
	};
	textLines(wrap(text.title, inner, 18), 18, 700, fg);
	textLines(wrap(text.subtitle, inner, 13), 13, 400, muted);
	y += 8;

	const clone = chart.cloneNode(true) as SVGSVGElement;
	inlineStyles(chart, clone);
	clone.setAttribute('x', String(pad));
	clone.setAttribute('y', y.toFixed(1));
	clone.setAttribute('width', String(cw));
	clone.setAttribute('height', String(ch));
	clone.removeAttribute('style');
	parts.push(new XMLSerializer().serializeToString(clone));
	y += ch;

	const legend = legendItems(frame);
	if (legend.length) {
		y += 18;
		let x = pad;
		for (const item of legend) {
			const w = 26 + item.label.length * 12 * 0.56 + 14;
			if (x + w > width - pad && x > pad) {
				x = pad;
				y += 18;
			}
			parts.push(`<rect x="${x}" y="${(y - 6).toFixed(1)}" width="18" height="4" rx="2" fill="${item.color}"/>`);
			parts.push(`<text x="${x + 24}" y="${y.toFixed(1)}" font-size="12" fill="${muted}" dominant-baseline="middle">${escapeXml(item.label)}</text>`);
			x += w;
		}
	}
	// The key dates: the plot shows only their numbers, so the export carries the list.
	const notes = keyDates(frame);
	if (notes) {
		y += 6;
		if (notes.heading) textLines([notes.heading], 12, 700, fg);
		for (const item of notes.items) textLines(wrap(item, inner, 11), 11, 400, muted, 1.4);
	}
	y += 10;
	parts.push(`<line x1="${pad}" x2="${width - pad}" y1="${y}" y2="${y}" stroke="${muted}" stroke-opacity="0.4"/>`);
	for (const f of text.footer) textLines(wrap(f, inner, 11), 11, 400, muted, 1.4);
	const height = Math.ceil(y + pad);

	const svg =
		`<?xml version="1.0" encoding="UTF-8"?>\n` +
		`<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(EXPORT_FONT)}">` +
		`<title>${escapeXml(text.title)}</title><desc>${escapeXml([text.subtitle, ...text.footer].join(' · '))}</desc>` +
		`<rect width="100%" height="100%" fill="${bg}"/>` +
		parts.join('') +
		`</svg>`;
	return { svg, width, height };
}

/** The export SVG rasterised at `scale` (2 = a 2x PNG). */
export async function svgToPng(exported: ExportedSvg, scale = 2): Promise<Blob> {
	const img = new Image();
	img.width = exported.width;
	img.height = exported.height;
	const url = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(exported.svg);
	await new Promise<void>((resolve, reject) => {
		img.onload = () => resolve();
		img.onerror = () => reject(new Error('The SVG could not be drawn'));
		img.src = url;
	});
	const canvas = document.createElement('canvas');
	canvas.width = exported.width * scale;
	canvas.height = exported.height * scale;
	const ctx = canvas.getContext('2d')!;
	ctx.scale(scale, scale);
	ctx.drawImage(img, 0, 0, exported.width, exported.height);
	return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
