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

/**
 * An unexpected failure (of DuckDB, the file system, ...) in words for a message in the project's
 * format: the engine's error class, its hints and any file path (which would be a temporary file of
 * the run, meaningless to the user) are left out.
 */
export function plainReason(err: unknown): string {
	const code = (err as NodeJS.ErrnoException)?.code;
	if (code === 'ENOSPC') return 'the disk is full';
	if (code === 'ENOMEM') return 'not enough memory';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	if (code === 'EISDIR') return 'a folder was found where a file was expected';
	if (code === 'ENOENT') return 'a file disappeared while the pipeline ran';
	const text = err instanceof Error ? err.message : String(err);
	if (/out of memory|could not allocate/i.test(text)) return 'not enough memory (set NPM_DUCKDB_MEMORY, e.g. to 4GB, to let the database use more)';
	if (/no space left on device/i.test(text)) return 'the disk is full';
	const first = (text.split('\n').find((l) => l.trim() !== '') ?? 'unknown problem')
		.replace(/^[A-Za-z ]*Error:\s*/, '')
		.replace(/(?:[A-Za-z]:)?[\\/][^\s"',;)]+/g, 'a temporary file')
		.trim();
	return first.length > 200 ? first.slice(0, 197) + '...' : first;
}
