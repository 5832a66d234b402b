/**
 * The demo's earlier release: an earlier cut of the generated input, so that `npm run data` makes
 * two releases (1.0.0 from this cut, then 1.1.0 from the full input with --previous --corrections)
 * and the releases pages show a real "what changed".
 *
 *   tsx scripts/generate/earlier-cut.ts --input data/generated/raw --out data/generated/raw-earlier
 *
 * Only allegations.csv differs from the full input; every other file is copied as it is:
 * - the last year of reports is not in it yet (the new period of the later release);
 * - every 40th allegation of the earlier years is not in it either (reported late);
 * - allegations of the year before the last were all still "registered" in the earlier cut (their
 *   outcomes came later: the later release corrects them, with --corrections).
 * Lines are kept in the input's order; the rule depends only on the line's position and values, so
 * the cut is the same for the same input.
 */
import { cpSync, createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseArgs } from '../lib/args.ts';

export interface CutSummary {
	lastYear: number;
	kept: number;
	newPeriod: number;
	late: number;
	corrected: number;
}

/** Split one CSV line (comma, double quotes); the generator writes no line breaks inside cells. */
export function splitLine(line: string): string[] {
	const cells: string[] = [];
	let cur = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (quoted) {
			if (ch === '"' && line[i + 1] === '"') {
				cur += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else cur += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			cells.push(cur);
			cur = '';
		} else cur += ch;
	}
	cells.push(cur);
	return cells;
}

const joinLine = (cells: string[]) => cells.map((v) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');

/** Year of a report date written dd.mm.yyyy or yyyy-mm-dd (the generator's two forms). */
function yearOf(value: string, where: string): number {
	const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value.trim()) ?? /^(\d{4})-\d{2}-\d{2}/.exec(value.trim());
	if (!m) throw new Error(`${where}: report_date ${JSON.stringify(value)} is not a date the cut understands (dd.mm.yyyy or yyyy-mm-dd)`);
	return Number(m.length === 4 ? m[3] : m[1]);
}

/** The file's data lines (header first), streamed: the scale-1000 input is 3.9 GB, more than a string holds. */
async function* linesOf(file: string): AsyncGenerator<string> {
	const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
	for await (const line of rl) if (line.length > 0) yield line;
}

/** Write lines in batches of about 1 MB. */
function batchedWriter(path: string) {
	const out = createWriteStream(path);
	let buf: string[] = [];
	let size = 0;
	const flush = async () => {
		if (buf.length === 0) return;
		const chunk = buf.join('\n') + '\n';
		buf = [];
		size = 0;
		if (!out.write(chunk)) await once(out, 'drain');
	};
	return {
		async push(line: string) {
			buf.push(line);
			size += line.length;
			if (size >= 1 << 20) await flush();
		},
		async end() {
			await flush();
			await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
		}
	};
}

export async function earlierCut(input: string, out: string): Promise<CutSummary> {
	rmSync(out, { recursive: true, force: true });
	mkdirSync(out, { recursive: true });
	cpSync(input, out, { recursive: true, filter: (src) => !src.endsWith('allegations.csv') });
	const file = join(input, 'allegations.csv');
	let headerLine: string | null = null;
	let dateCol = -1;
	// First pass: the last year of reports.
	let lastYear = -Infinity;
	let n = 0;
	for await (const l of linesOf(file)) {
		if (headerLine === null) {
			headerLine = l;
			const header = splitLine(l.replace(/^\uFEFF/, ''));
			const col = (name: string) => {
				const i = header.indexOf(name);
				if (i < 0) throw new Error(`${file}: no column ${name} in the header`);
				return i;
			};
			dateCol = col('report_date');
			col('outcome');
			col('outcome_date');
			continue;
		}
		n++;
		lastYear = Math.max(lastYear, yearOf(splitLine(l)[dateCol], `${file}, row ${n + 1}`));
	}
	if (headerLine === null) throw new Error(`${file}: empty`);
	const header = splitLine(headerLine.replace(/^\uFEFF/, ''));
	const outcomeCol = header.indexOf('outcome');
	const outcomeDateCol = header.indexOf('outcome_date');
	// Second pass: the rows kept, in the input's order.
	const summary: CutSummary = { lastYear, kept: 0, newPeriod: 0, late: 0, corrected: 0 };
	const w = batchedWriter(join(out, 'allegations.csv'));
	await w.push(headerLine);
	let i = -2; // the header is -1; data rows count from 0
	for await (const l of linesOf(file)) {
		if (++i < 0) continue;
		const cells = splitLine(l);
		const year = yearOf(cells[dateCol], `${file}, row ${i + 2}`);
		if (year === lastYear) {
			summary.newPeriod++;
			continue;
		}
		if (i % 40 === 39) {
			summary.late++;
			continue;
		}
		if (year === lastYear - 1 && cells[outcomeCol].trim() !== 'registered') {
			cells[outcomeCol] = 'registered';
			cells[outcomeDateCol] = '';
			summary.corrected++;
		}
		summary.kept++;
		await w.push(joinLine(cells));
	}
	await w.end();
	return summary;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
	const args = parseArgs(process.argv.slice(2), { input: 'string', out: 'string' });
	if (!args.input || !args.out) {
		console.error('usage: tsx scripts/generate/earlier-cut.ts --input DIR --out DIR');
		process.exit(2);
	}
	const s = await earlierCut(args.input as string, args.out as string);
	console.log(`earlier cut in ${args.out}: ${s.kept} allegations (without the ${s.newPeriod} of ${s.lastYear} and ${s.late} reported late; ${s.corrected} outcomes of ${s.lastYear - 1} still "registered")`);
}
