/**
 * HTTP Range requests answered from a stored copy (the service worker, src/service-worker.ts).
 * DuckDB-WASM reads large Parquet files in ranges and asks their size with HEAD; offline these
 * must be answered as a server would (RFC 9110, section 14): one range, `206` with Content-Range,
 * or `416` when the range lies outside the file. Pure functions, tested in tests/unit/offline.test.ts.
 */

/** An inclusive byte range of a file, as Content-Range states it. */
export interface ByteRange {
	start: number;
	end: number;
}

/**
 * The byte range a `Range` header asks of a file of `size` bytes:
 * - a `ByteRange` (inclusive, clipped to the file) for one satisfiable range;
 * - `'unsatisfiable'` when the range starts at or after the end of the file (answer 416);
 * - `null` when the header is absent, malformed, not in bytes or asks several ranges: the whole
 *   file is answered with 200, which RFC 9110 allows a server to do for any Range.
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | null {
	if (!header) return null;
	const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
	if (!m) return null;
	const [, a, b] = m;
	if (a === '' && b === '') return null;
	if (a === '') {
		// A suffix: the last b bytes.
		const n = Number(b);
		if (n === 0) return 'unsatisfiable';
		return { start: Math.max(0, size - n), end: size - 1 };
	}
	const start = Number(a);
	if (start >= size) return 'unsatisfiable';
	const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
	if (end < start) return null;
	return { start, end };
}

/** The Content-Range header value of a range of a file of `size` bytes (for 416: `bytes *` then a slash and the size). */
export function contentRange(range: ByteRange | 'unsatisfiable', size: number): string {
	return range === 'unsatisfiable' ? `bytes */${size}` : `bytes ${range.start}-${range.end}/${size}`;
}

/**
 * The status, headers and body bytes of the answer to a GET or HEAD with an optional Range header,
 * given the whole file's bytes and its Content-Type. HEAD gets the headers of the GET and no body.
 */
export function rangeAnswer(
	bytes: Uint8Array,
	contentType: string,
	method: string,
	rangeHeader: string | null
): { status: number; headers: Record<string, string>; body: Uint8Array | null } {
	const size = bytes.byteLength;
	const head = method.toUpperCase() === 'HEAD';
	const range = parseRange(rangeHeader, size);
	const base: Record<string, string> = { 'Content-Type': contentType, 'Accept-Ranges': 'bytes' };
	if (range === 'unsatisfiable')
		return { status: 416, headers: { ...base, 'Content-Range': contentRange(range, size), 'Content-Length': '0' }, body: head ? null : new Uint8Array(0) };
	if (range === null) return { status: 200, headers: { ...base, 'Content-Length': String(size) }, body: head ? null : bytes };
	const part = bytes.subarray(range.start, range.end + 1);
	return {
		status: 206,
		headers: { ...base, 'Content-Range': contentRange(range, size), 'Content-Length': String(part.byteLength) },
		body: head ? null : part
	};
}
