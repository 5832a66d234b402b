/**
 * Collects every validation error of a run so they are reported together. Only the first 100 are
 * kept as text (a 10-million-row file with a systematic error would otherwise print millions of
 * lines); all are counted.
 */
export const SHOWN_ERRORS = 100;

export class ErrorCollector {
	readonly shown: string[] = [];
	count = 0;
	readonly warnings: string[] = [];

	add(message: string): void {
		this.count++;
		if (this.shown.length < SHOWN_ERRORS) this.shown.push(message);
	}

	/** Errors found in bulk (e.g. by SQL) of which only a sample was fetched as text. */
	addCounted(messages: string[], total: number): void {
		for (const m of messages) this.add(m);
		this.count += Math.max(0, total - messages.length);
	}

	warn(message: string): void {
		this.warnings.push(message);
	}

	/** State to return to if a file has to be read again (see rollback). */
	mark(): { count: number; shown: number; warnings: number } {
		return { count: this.count, shown: this.shown.length, warnings: this.warnings.length };
	}

	rollback(m: { count: number; shown: number; warnings: number }): void {
		this.count = m.count;
		this.shown.length = m.shown;
		this.warnings.length = m.warnings;
	}

	get ok(): boolean {
		return this.count === 0;
	}

	/** The report printed at the end of a failed run. */
	report(): string {
		const lines = [`${this.count} error${this.count === 1 ? '' : 's'} in the input; nothing was written.`, ...this.shown];
		if (this.count > this.shown.length) lines.push(`... and ${this.count - this.shown.length} more error${this.count - this.shown.length === 1 ? '' : 's'} not shown.`);
		return lines.join('\n');
	}
}

/** Quote a value the way messages show it: in double quotes, long values shortened. */
export function shown(value: string): string {
	const v = value.length > 60 ? value.slice(0, 57) + '...' : value;
	return `"${v}"`;
}

/** `visits.csv row 17, column visit_date: ` */
export function at(file: string, row: number, column?: string): string {
	return column ? `${file} row ${row}, column ${column}: ` : `${file} row ${row}: `;
}
