/**
 * `npm run bench:pipeline -- [--input DIR] [--previous-input DIR] [--out DIR] [--json FILE]`: runs
 * the pipeline once on a folder of input files (default: the scale-1000 demonstration input, 10
 * million allegations, in data/generated/raw-1000) and prints, per stage, wall time, CPU time (all threads of this process,
 * so DuckDB's threads are included) and peak memory (resident set size of the process, which holds
 * DuckDB's memory too). Not a test: it measures, it does not judge.
 *
 * Peak memory per stage: on Linux the kernel's high-water mark (VmHWM) is reset at the start of each
 * stage (writing 5 to /proc/self/clear_refs) and read at its end; elsewhere, or if the reset is not
 * allowed, the resident size is sampled every 50 ms. The release is written to a temporary folder
 * (removed afterwards) unless --out is given, with a throw-away pseudonym key.
 *
 * --previous-input DIR: a republication. A first release is made from DIR (not timed), then the
 * input is timed as the next release, with --previous and --corrections (revisions.ts). For the
 * scale-1000 input, make DIR with
 *   npx tsx scripts/generate/earlier-cut.ts --input data/generated/raw-1000 --out data/generated/raw-1000-earlier
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from '../lib/args.ts';
import { ingest } from '../pipeline/index.ts';

const DEFAULT_INPUT = 'data/generated/raw-1000';
const GENERATE = `npm run data:generate -- --seed 2014 --scale 1000 --out ${DEFAULT_INPUT}`;

interface StageResult {
	stage: string;
	wall_s: number;
	cpu_s: number;
	peak_rss_mb: number;
}

/** Peak resident memory since the last reset, in bytes; null where /proc is not available. */
function readHighWaterMark(): number | null {
	try {
		const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
		return m ? Number(m[1]) * 1024 : null;
	} catch {
		return null;
	}
}

function resetHighWaterMark(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

class StageClock {
	readonly results: StageResult[] = [];
	private name: string | null = null;
	private wall = 0n;
	private cpu = process.cpuUsage();
	private sampledPeak = 0;
	private readonly kernelPeak: boolean;
	private readonly timer: NodeJS.Timeout;

	constructor() {
		this.kernelPeak = resetHighWaterMark() && readHighWaterMark() !== null;
		// Sampling is kept as a floor (and the only source where the kernel mark is unavailable).
		this.timer = setInterval(() => (this.sampledPeak = Math.max(this.sampledPeak, process.memoryUsage.rss())), 50);
		this.timer.unref();
	}

	/** End the running stage (if any) and start `next` (null: stop). */
	switchTo(next: string | null): void {
		const now = process.hrtime.bigint();
		if (this.name !== null) {
			const cpu = process.cpuUsage(this.cpu);
			const rss = process.memoryUsage.rss();
			const peak = Math.max(this.sampledPeak, rss, this.kernelPeak ? (readHighWaterMark() ?? 0) : 0);
			this.results.push({ stage: this.name, wall_s: Number(now - this.wall) / 1e9, cpu_s: (cpu.user + cpu.system) / 1e6, peak_rss_mb: peak / 2 ** 20 });
		}
		this.name = next;
		this.wall = process.hrtime.bigint();
		this.cpu = process.cpuUsage();
		if (this.kernelPeak) resetHighWaterMark();
		this.sampledPeak = process.memoryUsage.rss();
		if (next === null) clearInterval(this.timer);
	}
}

function table(rows: StageResult[], total: StageResult): string {
	const head = ['stage', 'wall s', 'CPU s', 'peak RSS MB'];
	const body = [...rows, total].map((r) => [r.stage, r.wall_s.toFixed(1), r.cpu_s.toFixed(1), r.peak_rss_mb.toFixed(0)]);
	const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
	return [line(head), line(width.map((w) => '-'.repeat(w))), ...body.slice(0, -1).map(line), line(width.map((w) => '-'.repeat(w))), line(body[body.length - 1])].join('\n');
}

async function main(): Promise<void> {
	let args;
	try {
		args = parseArgs(process.argv.slice(2), { input: 'string', 'previous-input': 'string', out: 'string', json: 'string' });
	} catch (err) {
		console.error(`${(err as Error).message}\nusage: npm run bench:pipeline -- [--input DIR] [--previous-input DIR] [--out DIR] [--json FILE]`);
		process.exit(2);
	}
	const input = resolve((args.input as string | undefined) ?? DEFAULT_INPUT);
	if (!existsSync(input)) {
		if (args.input) console.error(`bench:pipeline: input folder ${input} does not exist`);
		else console.error(`bench:pipeline: no scale-1000 input in ${DEFAULT_INPUT} (10 million allegations, about 3.9 GB).\nGenerate it once (about 5 minutes):\n  ${GENERATE}\nor give another folder: npm run bench:pipeline -- --input DIR`);
		process.exit(2);
	}
	const scratch = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
	const out = (args.out as string | undefined) ?? join(scratch, 'release');
	const keyFile = join(scratch, 'bench.key');
	writeFileSync(keyFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });

	const previousInput = args['previous-input'] ? resolve(args['previous-input'] as string) : null;
	if (previousInput) {
		if (!existsSync(previousInput)) {
			console.error(`bench:pipeline: --previous-input ${previousInput} does not exist`);
			process.exit(2);
		}
		console.log(`bench:pipeline: the previous release, from ${previousInput} (not timed) -> ${out}`);
		const first = await ingest({ input: previousInput, out, keyFile, log: () => {} });
		if (!first.ok) {
			console.error(`bench:pipeline: the previous release could not be made:\n${first.errors.report()}`);
			process.exit(1);
		}
	}
	console.log(`bench:pipeline: ${input} -> ${out}${previousInput ? ' (the next release: --previous, --corrections)' : ''}`);
	const clock = new StageClock();
	const startWall = process.hrtime.bigint();
	const startCpu = process.cpuUsage();
	let result;
	try {
		result = await ingest({ input, out, keyFile, ...(previousInput ? { previous: out, corrections: true } : {}), log: (l) => console.log(`  ${l}`), stage: (s) => clock.switchTo(s === 'done' ? null : s) });
	} finally {
		clock.switchTo(null);
		rmSync(scratch, { recursive: true, force: true });
	}
	const cpu = process.cpuUsage(startCpu);
	const total: StageResult = {
		stage: 'whole pipeline',
		wall_s: Number(process.hrtime.bigint() - startWall) / 1e9,
		cpu_s: (cpu.user + cpu.system) / 1e6,
		// maxRSS: peak of the whole process life (kB), whatever the per-stage resets did.
		peak_rss_mb: Math.max(process.resourceUsage().maxRSS / 1024, ...clock.results.map((r) => r.peak_rss_mb))
	};
	console.log('');
	console.log(table(clock.results, total));
	if (!result.ok) console.log(`\nthe input has errors (the pipeline stopped after the checks):\n${result.errors.report()}`);
	if (args.json) writeFileSync(args.json as string, JSON.stringify({ input, ok: result.ok, stages: clock.results, total }, null, 2) + '\n');
}

main().catch((err) => {
	console.error(err instanceof Error ? err.stack : err);
	process.exit(1);
});
