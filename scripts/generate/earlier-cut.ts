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
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export function earlierCut(input: string, out: string): CutSummary {
	rmSync(out, { recursive: true, force: true });
	mkdirSync(out, { recursive: true });
	cpSync(input, out, { recursive: true });
	const file = join(input, 'allegations.csv');
	const text = readFileSync(file, 'utf8');
	const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
	const header = splitLine(lines[0].replace(/^\uFEFF/, ''));
	const col = (name: string) => {
		const i = header.indexOf(name);
		if (i < 0) throw new Error(`${file}: no column ${name} in the header`);
		return i;
	};
	const dateCol = col('report_date');
	const outcomeCol = col('outcome');
	const outcomeDateCol = col('outcome_date');
	const rows = lines.slice(1).map((l, i) => ({ cells: splitLine(l), line: i + 2 }));
	const years = rows.map((r) => yearOf(r.cells[dateCol], `${file}, row ${r.line}`));
	const lastYear = Math.max(...years);
	const summary: CutSummary = { lastYear, kept: 0, newPeriod: 0, late: 0, corrected: 0 };
	const kept: string[] = [lines[0]];
	rows.forEach((r, i) => {
		if (years[i] === lastYear) return void summary.newPeriod++;
		if (i % 40 === 39) return void summary.late++;
		const cells = [...r.cells];
		if (years[i] === lastYear - 1 && cells[outcomeCol].trim() !== 'registered') {
			cells[outcomeCol] = 'registered';
			cells[outcomeDateCol] = '';
			summary.corrected++;
		}
		summary.kept++;
		kept.push(joinLine(cells));
	});
	writeFileSync(join(out, 'allegations.csv'), kept.join('\n') + '\n');
	return summary;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
	const args = parseArgs(process.argv.slice(2), { input: 'string', out: 'string' });
	if (!args.input || !args.out) {
		console.error('usage: tsx scripts/generate/earlier-cut.ts --input DIR --out DIR');
		process.exit(2);
	}
	const s = earlierCut(args.input as string, args.out as string);
	console.log(`earlier cut in ${args.out}: ${s.kept} allegations (without the ${s.newPeriod} of ${s.lastYear} and ${s.late} reported late; ${s.corrected} outcomes of ${s.lastYear - 1} still "registered")`);
}
