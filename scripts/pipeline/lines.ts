/**
 * Line numbers for messages. DuckDB reads a CSV file in parallel and numbers its records (the data
 * rows, in file order), but a record is not a line: a quoted value may hold line breaks, and blank
 * lines are skipped. Messages must name the line a text editor shows, so when (and only when) a run
 * has something to report, the file is scanned once here: records are found with the same rules as
 * csv.ts (quotes, doubled quotes, CRLF/LF/CR line ends, blank lines not a record) and the lines of
 * the wanted records are noted. A run without errors never scans.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const CHUNK = 1 << 22;

/** Visit the file's bytes in chunks; `visit` returns false to stop early. */
function eachChunk(path: string, visit: (buf: Buffer, length: number) => boolean): void {
	const fd = openSync(path, 'r');
	try {
		const buf = Buffer.allocUnsafe(CHUNK);
		for (;;) {
			const n = readSync(fd, buf, 0, CHUNK, null);
			if (n <= 0) break;
			if (!visit(buf, n)) break;
		}
	} finally {
		closeSync(fd);
	}
}

/**
 * Line (1-based) at each byte offset: line breaks (LF, CRLF or a lone CR) before it, plus one.
 * Used for the positions DuckDB gives for rows it could not read.
 */
export function linesAtBytes(path: string, offsets: number[]): Map<number, number> {
	const wanted = [...new Set(offsets)].sort((a, b) => a - b);
	const out = new Map<number, number>();
	if (wanted.length === 0) return out;
	let line = 1;
	let pos = 0; // file offset of buf[0]
	let prevCr = false;
	let w = 0;
	eachChunk(path, (buf, n) => {
		for (let i = 0; i < n; i++) {
			while (w < wanted.length && wanted[w] <= pos + i) out.set(wanted[w++], line);
			if (w === wanted.length) return false;
			const c = buf[i];
			if (c === LF) {
				if (!prevCr) line++;
				prevCr = false;
			} else if (c === CR) {
				line++;
				prevCr = true;
			} else prevCr = false;
		}
		pos += n;
		return true;
	});
	while (w < wanted.length) out.set(wanted[w++], line);
	return out;
}

/**
 * Line on which each of the given records starts. Records are numbered as DuckDB numbers the rows it
 * returns: 1 = the first data record after the header; records starting on a line listed in
 * `skippedLines` (rows DuckDB rejected, reported separately) are not counted.
 */
export function recordLines(path: string, records: number[], separator: string, skippedLines: Set<number> = new Set()): Map<number, number> {
	const wanted = [...new Set(records)].sort((a, b) => a - b);
	const out = new Map<number, number>();
	if (wanted.length === 0) return out;
	const sep = separator.charCodeAt(0);
	let w = 0;
	let line = 1;
	let inQuotes = false;
	let recordStarted = false;
	let recordLine = 1;
	let recordEmpty = true; // nothing but an empty first field so far: a blank line, not a record
	let fieldEmpty = true;
	let atFieldStart = true;
	let pendingQuote = false; // inside quotes, a quote seen as the chunk's last byte... handled inline
	let prevCr = false;
	let seenRecords = 0; // records completed, header included
	let ordinal = 0;
	let first = true;
	const endRecord = (): boolean => {
		if (!recordEmpty) {
			seenRecords++;
			if (seenRecords > 1 && !skippedLines.has(recordLine)) {
				ordinal++;
				while (w < wanted.length && wanted[w] === ordinal) out.set(wanted[w++], recordLine);
				while (w < wanted.length && wanted[w] < ordinal) w++;
			}
		}
		recordStarted = false;
		recordEmpty = true;
		fieldEmpty = true;
		atFieldStart = true;
		return w < wanted.length;
	};
	eachChunk(path, (buf, n) => {
		let i = 0;
		if (first) {
			first = false;
			if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
		}
		for (; i < n; i++) {
			const c = buf[i];
			if (prevCr) {
				prevCr = false;
				if (c === LF) continue; // the LF of a CRLF: already counted
			}
			if (!recordStarted) {
				recordStarted = true;
				recordLine = line;
			}
			if (inQuotes) {
				if (pendingQuote) {
					pendingQuote = false;
					if (c === QUOTE) {
						fieldEmpty = false; // a doubled quote: a literal quote
						continue;
					}
					inQuotes = false; // the quote closed the value; this byte is read as outside quotes
				} else {
					if (c === QUOTE) {
						pendingQuote = true;
						continue;
					}
					fieldEmpty = false;
					if (c === LF) line++;
					else if (c === CR) {
						line++;
						prevCr = true;
					}
					continue;
				}
			}
			if (c === sep) {
				recordEmpty = false;
				fieldEmpty = true;
				atFieldStart = true;
				continue;
			}
			if (c === LF || c === CR) {
				if (c === CR) prevCr = true;
				if (!endRecord()) return false;
				line++;
				continue;
			}
			if (c === QUOTE && atFieldStart && fieldEmpty) {
				inQuotes = true;
				recordEmpty = false;
				atFieldStart = false;
				continue;
			}
			recordEmpty = false;
			fieldEmpty = false;
			atFieldStart = false;
		}
		return true;
	});
	if (pendingQuote) inQuotes = false;
	if (w < wanted.length && recordStarted && !inQuotes) endRecord();
	return out;
}
