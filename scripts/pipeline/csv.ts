/**
 * Streaming CSV parser (RFC 4180 plus what spreadsheets export): quoted fields with doubled quotes
 * and line breaks, `,` `;` or tab as separator, CRLF/LF/CR line ends. It reports for each record the
 * line where it starts, as a text editor numbers lines, so error messages point to the right place.
 * Written by hand because DuckDB's reader cannot give line numbers of valid rows, and no CSV
 * dependency is installed.
 */
const QUOTE = 34;
const LF = 10;
const CR = 13;

export type RecordHandler = (fields: string[], line: number) => void;

export class CsvParser {
	private field = '';
	private fields: string[] = [];
	private inQuotes = false;
	private afterCr = false;
	private line = 1;
	private recordLine = 1;
	private recordStarted = false;
	private carry = '';
	private separator = -1;
	/** Line where a quoted field was opened, while it is still open. */
	private quoteOpenedLine = 0;

	constructor(
		private readonly onRecord: RecordHandler,
		separator?: string
	) {
		if (separator) this.separator = separator.charCodeAt(0);
	}

	/** The separator in use: given, or guessed from the header line (the most frequent of ; , tab). */
	get separatorChar(): string {
		return this.separator < 0 ? ',' : String.fromCharCode(this.separator);
	}

	private guessSeparator(text: string): void {
		const firstLine = text.split(/\r?\n|\r/, 1)[0] ?? '';
		const count = (ch: string) => firstLine.split(ch).length - 1;
		const candidates: [string, number][] = [
			[',', count(',')],
			[';', count(';')],
			['\t', count('\t')]
		];
		candidates.sort((a, b) => b[1] - a[1]);
		this.separator = candidates[0][1] > 0 ? candidates[0][0].charCodeAt(0) : 44;
	}

	private endField(): void {
		this.fields.push(this.field);
		this.field = '';
	}

	private endRecord(): void {
		this.endField();
		const fields = this.fields;
		this.fields = [];
		this.recordStarted = false;
		// A line with nothing on it is not a record (blank lines, the final line break).
		if (fields.length === 1 && fields[0] === '') return;
		this.onRecord(fields, this.recordLine);
	}

	push(chunk: string): void {
		let s = this.carry + chunk;
		this.carry = '';
		if (this.separator < 0) {
			if (!/[\r\n]/.test(s) && s.length < 1_000_000) {
				this.carry = s;
				return;
			}
			this.guessSeparator(s);
		}
		const consumed = this.parse(s, false);
		// A quote or CR at the very end may pair with the next chunk's first character: parse() stops
		// before it, and it is parsed again with the next chunk.
		this.carry = s.slice(consumed);
	}

	/** Finish; returns the line of an unclosed quoted field, or 0. */
	end(): number {
		if (this.separator < 0) this.guessSeparator(this.carry);
		const rest = this.carry;
		this.carry = '';
		this.parse(rest, true);
		if (this.inQuotes) return this.quoteOpenedLine;
		if (this.recordStarted || this.field !== '' || this.fields.length > 0) this.endRecord();
		return 0;
	}

	/** Parse s; returns how many characters were consumed (all, unless the last one is ambiguous). */
	private parse(s: string, final: boolean): number {
		const n = s.length;
		const sep = this.separator;
		let start = 0;
		let i = 0;
		while (i < n) {
			const c = s.charCodeAt(i);
			if (!this.recordStarted) {
				this.recordStarted = true;
				this.recordLine = this.line;
			}
			if (this.inQuotes) {
				if ((c === QUOTE || c === CR) && i + 1 >= n && !final) {
					this.field += s.slice(start, i);
					return i;
				}
				if (c === QUOTE) {
					if (i + 1 < n && s.charCodeAt(i + 1) === QUOTE) {
						this.field += s.slice(start, i + 1);
						i += 2;
						start = i;
						continue;
					}
					this.field += s.slice(start, i);
					this.inQuotes = false;
					i++;
					start = i;
					continue;
				}
				if (c === LF) this.line++;
				else if (c === CR && !(i + 1 < n && s.charCodeAt(i + 1) === LF)) this.line++;
				i++;
				continue;
			}
			if (c === sep) {
				this.field += s.slice(start, i);
				this.endField();
				i++;
				start = i;
				continue;
			}
			if (c === CR && i + 1 >= n && !final) {
				this.field += s.slice(start, i);
				return i;
			}
			if (c === LF || c === CR) {
				this.field += s.slice(start, i);
				if (c === CR && i + 1 < n && s.charCodeAt(i + 1) === LF) i++;
				this.endRecord();
				this.line++;
				i++;
				start = i;
				continue;
			}
			if (c === QUOTE && start === i && this.field === '') {
				this.inQuotes = true;
				this.quoteOpenedLine = this.line;
				i++;
				start = i;
				continue;
			}
			i++;
		}
		if (start < n) this.field += s.slice(start, n);
		return n;
	}
}
