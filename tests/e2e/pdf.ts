/**
 * Just enough of a PDF reader for the brief's test: the pages in order and the text each shows.
 * Chromium's PDFs keep every object uncompressed at the top level; their streams (page contents,
 * fonts' ToUnicode maps) are FlateDecode, inflated here with node:zlib, and their text is shown as
 * hex glyph ids (Tj, TJ) that each font's ToUnicode CMap turns into Unicode. No dependency.
 */
import { constants, inflateSync } from 'node:zlib';

interface PdfObject {
	dict: string;
	stream?: Buffer;
}

function readObjects(buf: Buffer): Map<number, PdfObject> {
	const s = buf.toString('latin1');
	const out = new Map<number, PdfObject>();
	const head = /(\d+) 0 obj\b/g;
	let m: RegExpExecArray | null;
	while ((m = head.exec(s))) {
		const start = m.index + m[0].length;
		const streamAt = s.indexOf('stream', start);
		const endAt = s.indexOf('endobj', start);
		if (endAt < 0) throw new Error(`PDF object ${m[1]} has no endobj`);
		if (streamAt >= 0 && streamAt < endAt) {
			let data = streamAt + 'stream'.length;
			if (s[data] === '\r') data++;
			if (s[data] === '\n') data++;
			const dataEnd = s.indexOf('endstream', data);
			const dict = s.slice(start, streamAt);
			let raw = buf.subarray(data, dataEnd);
			if (/\/Filter\s*\/FlateDecode/.test(dict)) raw = inflateSync(raw, { finishFlush: constants.Z_SYNC_FLUSH });
			out.set(Number(m[1]), { dict, stream: raw });
			head.lastIndex = s.indexOf('endobj', dataEnd) + 6;
		} else {
			out.set(Number(m[1]), { dict: s.slice(start, endAt) });
			head.lastIndex = endAt + 6;
		}
	}
	return out;
}

const ref = (dict: string, key: string): number | null => {
	const m = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(dict);
	return m ? Number(m[1]) : null;
};

/** A ToUnicode CMap: glyph code (hex) -> text. */
function readCMap(text: string): Map<number, string> {
	const map = new Map<number, string>();
	const utf16 = (hex: string) => {
		let out = '';
		for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
		return out;
	};
	for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
		for (const p of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(p[1], 16), utf16(p[2]));
	for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
		for (const p of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
			const lo = parseInt(p[1], 16);
			const hi = parseInt(p[2], 16);
			if (p[3].startsWith('[')) {
				[...p[3].matchAll(/<([0-9a-fA-F]+)>/g)].forEach((d, i) => map.set(lo + i, utf16(d[1])));
			} else {
				const base = p[3].slice(1, -1);
				const first = parseInt(base.slice(-4), 16);
				for (let c = lo; c <= hi; c++) map.set(c, utf16(base.slice(0, -4)) + String.fromCharCode(first + c - lo));
			}
		}
	return map;
}

export interface PdfDoc {
	/** Each page's text in the order the content stream shows it (whitespace as written). */
	pages: string[];
	/** The page count the page tree declares (/Count of the root /Pages). */
	declaredCount: number;
}

export function readPdf(buf: Buffer): PdfDoc {
	if (buf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF: no %PDF- header');
	const objects = readObjects(buf);
	const get = (id: number | null, what: string) => {
		const o = id == null ? undefined : objects.get(id);
		if (!o) throw new Error(`PDF: ${what} (object ${id}) is missing`);
		return o;
	};
	const cmaps = new Map<number, Map<number, string>>();
	const cmapOf = (fontId: number) => {
		let c = cmaps.get(fontId);
		if (!c) {
			const tu = ref(get(fontId, 'font').dict, 'ToUnicode');
			c = tu == null ? new Map() : readCMap(get(tu, 'ToUnicode CMap').stream!.toString('latin1'));
			cmaps.set(fontId, c);
		}
		return c;
	};
	// The page tree, in order, from the catalog's /Pages.
	const trailerRoot = /\/Root\s+(\d+)\s+0\s+R/.exec(buf.toString('latin1'));
	const root = get(ref(get(trailerRoot ? Number(trailerRoot[1]) : null, 'catalog').dict, 'Pages'), 'page tree');
	const declaredCount = Number(/\/Count\s+(\d+)/.exec(root.dict)?.[1] ?? NaN);
	const pageIds: number[] = [];
	const walk = (node: PdfObject) => {
		const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node.dict);
		for (const k of kids ? kids[1].matchAll(/(\d+)\s+0\s+R/g) : []) {
			const id = Number(k[1]);
			const kid = get(id, 'page tree node');
			if (/\/Type\s*\/Pages\b/.test(kid.dict)) walk(kid);
			else if (/\/Type\s*\/Page\b/.test(kid.dict)) pageIds.push(id);
		}
	};
	walk(root);

	const pages = pageIds.map((id) => {
		const page = get(id, 'page');
		let resources = page.dict;
		const resRef = ref(page.dict, 'Resources');
		if (resRef != null) resources = get(resRef, 'resources').dict;
		let fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
		const fontRef = /\/Font\s+(\d+)\s+0\s+R/.exec(resources);
		if (fontRef) fontDict = get(Number(fontRef[1]), 'font resources').dict;
		const fonts = new Map([...fontDict.matchAll(/\/([^\s/<>[\]()]+)\s+(\d+)\s+0\s+R/g)].map((f) => [f[1], Number(f[2])]));
		const contents = /\/Contents\s*(\[[^\]]*\]|\d+\s+0\s+R)/.exec(page.dict)?.[1] ?? '';
		const streams = [...contents.matchAll(/(\d+)\s+0\s+R/g)].map((c) => get(Number(c[1]), 'page contents').stream!.toString('latin1'));
		let text = '';
		let font: Map<number, string> = new Map();
		const show = (hex: string) => {
			for (let i = 0; i + 4 <= hex.length; i += 4) text += font.get(parseInt(hex.slice(i, i + 4), 16)) ?? '';
		};
		for (const content of streams)
			for (const op of content.matchAll(/\/([^\s/<>[\]()]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj|\[((?:\s*(?:<[0-9a-fA-F]*>|-?[\d.]+))*)\s*\]\s*TJ|\b(ET)\b/g)) {
				if (op[1]) {
					const fid = fonts.get(op[1]);
					font = fid == null ? new Map() : cmapOf(fid);
				} else if (op[2] !== undefined) show(op[2]);
				else if (op[3] !== undefined) for (const h of op[3].matchAll(/<([0-9a-fA-F]*)>/g)) show(h[1]);
				else if (op[4]) text += '\n';
			}
		return text;
	});
	return { pages, declaredCount };
}

/** Text without any whitespace and with ligatures (ﬁ) as letters, for finding a phrase whatever the lines it was set in. */
export const squeeze = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
