/**
 * npm run bench: builds the site (npm script), serves build/ as deployed (scripts/serve.mjs:
 * precompressed files, range requests, the deploy headers) on localhost, and measures each page in
 * headless Chromium. Not a test: it judges nothing. Prints tables, writes bench-results*.json
 * (git-ignored). `npx tsx scripts/bench/index.ts` runs it without building first.
 *
 * Per page, BENCH_RUNS samples; each is a cold load in a new browser context (empty cache), one
 * uncounted warm-up filter change, then BENCH_CHANGES timed changes (changes.ts says how they are
 * chosen and driven). Reported per page (medians over samples; change times pooled over samples):
 *
 *   change in-page p50/p95  from the input event on a filter control (capture-phase listener for
 *                           input/change/click, performance.now()) to the task after the first
 *                           animation frame in which window.__kzQueries has settled (started grew
 *                           past its value at the event and settled === started): includes the
 *                           paint of the answer
 *   all drawn p50/p95       the same, to the first frame in which, in addition, no view off the
 *                           screen still holds its answer (window.__kzHeld.pending: such views draw
 *                           it in idle time just after, OnScreen.svelte). The reader sees the
 *                           in-page figure; this one says when the whole page caught up
 *   change PW p50/p95       Node's clock from the Playwright action until a 5 ms poll sees the
 *                           same settled state
 *   first answer            window.__engineReadyAt (ms since navigation: the browser engine's first
 *                           answer). A page that starts no engine before the reader interacts (quiet
 *                           network for BENCH_QUIET_MS after load) shows "int+N": N = the warm-up
 *                           change, which then loads the engine
 *   FCP                     first contentful paint
 *   KB <FCP, KB <answer     bytes received in responses that ended before FCP / before the first
 *                           answer: page AND worker requests (DuckDB's Parquet range reads from its
 *                           worker do not appear in the page's resource timing; network.ts counts
 *                           from Playwright's request events + request.sizes(): headers + encoded
 *                           body as received)
 *   KB load, KB total       all bytes until the load went quiet / by the end of the changes
 *   heap MB                 main-thread JS heap after the changes (CDP Performance.getMetrics
 *                           JSHeapUsedSize; the worker's heap and WebAssembly memory are not in it)
 *   renderer MB             PSS (/proc/PID/smaps_rollup) summed over the page's renderer processes
 *                           after the changes: the page, its DuckDB worker and its WebAssembly memory
 *                           (memory.ts; the spare renderer is disabled, Chromium's WebUI renderer and
 *                           other browsers' processes are not counted)
 *
 * The JSON also has every sample and change, bytes by kind (Parquet, range answers, .wasm), what the page's
 * resource timing alone would report, memory after load, RSS/USS, requests to other origins (the
 * browser resolves only localhost: there must be none) and changes that started no view update.
 *
 * Variables (all optional):
 *   BENCH_PAGES        comma-separated paths; default
 *                      /,/allegations/,/conditions/,/recommendations/,/regions/KZ-75/,
 *                      /embed/region-map/,/embed/dashboard/overview/
 *                      (the single-chart embed has no filter bar: its changes are clicks on region
 *                      tiles, which toggle the region filter, and its measure select; the dashboard
 *                      embed's filter bar is in a disclosure, opened untimed)
 *   BENCH_RUNS         cold-load samples per page and site (default 3)
 *   BENCH_CHANGES      timed changes per sample (default 9; 3 x 9 = 27 per page)
 *   BENCH_SCALE        e.g. 1000: serve a copy of each site whose data/ holds the release of that
 *                      scale (10 M allegations at 1000), made once into data/generated/release-<scale>:
 *                        npx tsx scripts/generate/index.ts --seed 2014 --scale 1000 --out data/generated/raw-1000
 *                        npx tsx scripts/pipeline/index.ts --input data/generated/raw-1000 --out data/generated/release-1000
 *                        npx tsx scripts/rollups/index.ts --data data/generated/release-1000   (if that script exists)
 *                      (the rollups step is run by the bench on every scale run when the script exists;
 *                      the whole release folder, files and subfolders, replaces the site's data files)
 *   BENCH_COMPARE      a git revision (e.g. main, HEAD~3): builds it once in a temporary git worktree
 *                      (npm ci, its own npm run build, its own serve.mjs; cached in
 *                      data/generated/bench-<sha>/), serves it (A) beside the working tree's build (B)
 *                      and measures them interleaved, alternating which goes first (A B, B A, ...),
 *                      so a busy machine weighs on both alike; prints one table with A, B and B/A
 *   BENCH_SITE         a built folder to measure instead of build/ (B in compare mode), served with
 *                      this tree's scripts/serve.mjs
 *   BENCH_PORT         first port (default 4180; the compared revision gets it, the build the next)
 *   BENCH_LIGHTHOUSE   1: also run Lighthouse (mobile, performance) on BENCH_LH_PAGES (about 30-60 s each)
 *   BENCH_LH_PAGES     default: / and the first /embed/ page of BENCH_PAGES (or /embed/region-map/)
 *   BENCH_LH_RUNS      Lighthouse runs per page and site (default 1; median reported)
 *   BENCH_TIMEOUT_MS   longest wait for a load or one change (default 120000; 600000 with BENCH_SCALE)
 *   BENCH_NO_UPDATE_MS a change that starts no view update within this is skipped (default 5000)
 *   BENCH_QUIET_MS     network quiet after load with no engine started = engine on interaction (default 3000)
 *   BENCH_PAUSE_MS     pause after each change (default 100)
 *   CHROMIUM_PATH      default /usr/bin/chromium
 */
import { chromium } from '@playwright/test';
import { createServer } from 'node:net';
import { writeFileSync, rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { lighthouse, lighthouseAvailable, type LighthouseResult } from './lighthouse';
import { SampleError, takeSample, type Sample } from './sample';
import { currentSite, revisionSite, scaleRelease, serve, withRelease, type Site } from './sites';
import { median, percentile } from './stats';

const env = process.env;
const num = (v: string | undefined, d: number) => (v === undefined || v === '' ? d : Number(v));
const SCALE = env.BENCH_SCALE && env.BENCH_SCALE !== '1' ? env.BENCH_SCALE : undefined;
const PORT = num(env.BENCH_PORT, 4180);
const RUNS = num(env.BENCH_RUNS, 3);
const CHANGES = num(env.BENCH_CHANGES, 9);
const CHROMIUM = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DEFAULT_PAGES = '/,/allegations/,/conditions/,/recommendations/,/regions/KZ-75/,/embed/region-map/,/embed/dashboard/overview/';
const PAGES = (env.BENCH_PAGES || DEFAULT_PAGES).split(',').map((p) => p.trim()).filter(Boolean);
const LH_PAGES = (env.BENCH_LH_PAGES || ['/', PAGES.find((p) => p.startsWith('/embed/')) ?? '/embed/region-map/'].join(','))
	.split(',')
	.map((p) => p.trim())
	.filter(Boolean);
const SAMPLE_OPTIONS = {
	changes: CHANGES,
	timeoutMs: num(env.BENCH_TIMEOUT_MS, SCALE ? 600_000 : 120_000),
	noUpdateMs: num(env.BENCH_NO_UPDATE_MS, 5000),
	quietMs: num(env.BENCH_QUIET_MS, 3000),
	pauseMs: num(env.BENCH_PAUSE_MS, 100)
};

interface Summary {
	changes: number;
	inPageP50: number;
	inPageP95: number;
	allDrawnP50: number;
	allDrawnP95: number;
	pwP50: number;
	pwP95: number;
	/** Median __engineReadyAt, or NaN if the engine waited for the reader (see warmupMs). */
	firstAnswerMs: number;
	engineOnInteraction: boolean;
	/** Median warm-up change (in-page; Playwright's if the page saw no event). */
	warmupMs: number;
	fcpMs: number;
	kbBeforeFcp: number;
	kbBeforeAnswer: number;
	kbLoad: number;
	kbTotal: number;
	kbRanges: number;
	kbResourceTimingLoad: number;
	heapMb: number;
	rendererMb: number;
	noUpdate: number;
	foreignRequests: number;
}

function summarise(samples: Sample[]): Summary {
	const med = (f: (s: Sample) => number) => median(samples.map(f).filter(Number.isFinite));
	const changes = samples.flatMap((s) => s.changes.samples);
	const inPage = changes.map((c) => c.inPageMs).filter(Number.isFinite);
	const pw = changes.map((c) => c.playwrightMs);
	// Older revisions (BENCH_COMPARE) hold nothing: every view is drawn when the change settles.
	const allDrawn = changes.map((c) => (c.allDrawnMs === undefined ? c.inPageMs : c.allDrawnMs)).filter(Number.isFinite);
	const before = samples.filter((s) => s.engineBeforeInteraction);
	const onInteraction = before.length === 0;
	return {
		changes: changes.length,
		inPageP50: median(inPage),
		inPageP95: percentile(inPage, 95),
		allDrawnP50: median(allDrawn),
		allDrawnP95: percentile(allDrawn, 95),
		pwP50: median(pw),
		pwP95: percentile(pw, 95),
		firstAnswerMs: onInteraction ? NaN : median(before.map((s) => s.engineReadyAt)),
		engineOnInteraction: onInteraction,
		warmupMs: med((s) => (s.changes.warmup ? (Number.isFinite(s.changes.warmup.inPageMs) ? s.changes.warmup.inPageMs : s.changes.warmup.playwrightMs) : NaN)),
		fcpMs: med((s) => s.fcp),
		kbBeforeFcp: med((s) => s.kbBeforeFcp),
		kbBeforeAnswer: med((s) => s.kbBeforeAnswer),
		kbLoad: med((s) => s.kbLoad),
		kbTotal: med((s) => s.kbEnd),
		kbRanges: med((s) => s.kbRanges),
		kbResourceTimingLoad: med((s) => s.kbResourceTimingLoad),
		heapMb: med((s) => s.heapMbEnd),
		rendererMb: med((s) => s.rendererEnd.pssMb),
		noUpdate: samples.reduce((n, s) => n + s.changes.noUpdate.length, 0),
		foreignRequests: samples.reduce((n, s) => n + s.foreign.length, 0)
	};
}

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');

/** The compact columns: [label, value as text, value as number for ratios]. */
function columns(s: Summary): [string, string, number][] {
	return [
		['changes', String(s.changes), s.changes],
		['in-page p50', f0(s.inPageP50), s.inPageP50],
		['in-page p95', f0(s.inPageP95), s.inPageP95],
		['all drawn p50', f0(s.allDrawnP50), s.allDrawnP50],
		['all drawn p95', f0(s.allDrawnP95), s.allDrawnP95],
		['PW p50', f0(s.pwP50), s.pwP50],
		['PW p95', f0(s.pwP95), s.pwP95],
		s.engineOnInteraction ? ['first answer', `int+${f0(s.warmupMs)}`, s.warmupMs] : ['first answer', f0(s.firstAnswerMs), s.firstAnswerMs],
		['FCP', f0(s.fcpMs), s.fcpMs],
		['KB <FCP', f0(s.kbBeforeFcp), s.kbBeforeFcp],
		['KB <answer', f0(s.kbBeforeAnswer), s.kbBeforeAnswer],
		['KB load', f0(s.kbLoad), s.kbLoad],
		['KB total', f0(s.kbTotal), s.kbTotal],
		['heap MB', f1(s.heapMb), s.heapMb],
		['renderer MB', f0(s.rendererMb), s.rendererMb]
	];
}

function portFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const srv = createServer()
			.once('error', () => resolve(false))
			.once('listening', () => srv.close(() => resolve(true)))
			.listen(port, 'localhost');
	});
}

async function main() {
	const release = scaleRelease(SCALE);
	let sites: Site[] = [currentSite(env.BENCH_SITE || undefined)];
	if (env.BENCH_COMPARE) sites = [revisionSite(env.BENCH_COMPARE), ...sites];
	if (release) sites = sites.map((s) => withRelease(s, release, SCALE!));
	const names = sites.length > 1 ? ['A', 'B'] : ['site'];
	const servers: ChildProcess[] = [];
	try {
		for (const [i, site] of sites.entries()) {
			if (!(await portFree(PORT + i))) throw new Error(`bench: port ${PORT + i} is taken; set BENCH_PORT`);
			servers.push(await serve(site, PORT + i));
		}
		const origins = sites.map((_, i) => `http://localhost:${PORT + i}`);
		const browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				// One renderer per page and no spare one: renderer memory is the page's.
				'--disable-features=SpareRendererForSitePerProcess',
				// Nothing but localhost resolves: no request can leave the machine.
				'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost'
			]
		});
		const data = SCALE ? `scale ${SCALE} (data/generated/release-${SCALE})` : 'demo (scale 1)';
		console.log(
			`\nbench: Chromium ${browser.version()}, data ${data}, ${RUNS} cold load(s) x ${CHANGES} timed change(s) per page${sites.length > 1 ? ' and site' : ''}` +
				sites.map((s, i) => `\n  ${names[i]}: ${s.label} at ${origins[i]}`).join('')
		);
		const samples: Record<string, Sample[][]> = {};
		const failures: Record<string, string[][]> = {};
		for (const path of PAGES) {
			samples[path] = sites.map(() => []);
			failures[path] = sites.map(() => []);
			for (let run = 0; run < RUNS; run++) {
				const order = sites.map((_, i) => i);
				if (run % 2 === 1) order.reverse(); // A B, B A, A B, ...
				for (const i of order) {
					let s: Sample;
					try {
						s = await takeSample(browser, origins[i], path, run, SAMPLE_OPTIONS);
					} catch (e) {
						if (!(e instanceof SampleError)) throw e;
						failures[path][i].push(e.message);
						console.log(`  ${path} run ${run + 1}${sites.length > 1 ? ' ' + names[i] : ''}: FAILED: ${e.message}`);
						continue;
					}
					samples[path][i].push(s);
					const ch = s.changes.samples.map((c) => c.inPageMs).filter(Number.isFinite);
					console.log(
						`  ${path} run ${run + 1}${sites.length > 1 ? ' ' + names[i] : ''}: FCP ${f0(s.fcp)} ms, first answer ${s.engineBeforeInteraction ? f0(s.engineReadyAt) + ' ms' : 'on interaction'}, ` +
							`changes (in-page) median ${f0(median(ch))} ms over ${ch.length}, ${f0(s.kbEnd)} KB (Parquet ${f0(s.kbParquet)} KB, range reads ${f0(s.kbRanges)} KB, .wasm ${f0(s.kbWasm)} KB), renderer ${f0(s.rendererEnd.pssMb)} MB` +
							(s.foreign.length ? `, ${s.foreign.length} request(s) to other origins!` : '') +
							(s.changes.noUpdate.length ? `, ${s.changes.noUpdate.length} change(s) without a view update` : '') +
							(s.pageErrors.length ? `, page errors: ${s.pageErrors.slice(0, 2).join(' | ')}` : '')
					);
				}
			}
		}
		const version = browser.version();
		await browser.close();

		const summaries = Object.fromEntries(PAGES.map((p) => [p, samples[p].map(summarise)]));
		const heading = `${RUNS} cold load(s) per page; change times (ms) over all timed changes; other columns medians. Data: ${data}.`;
		if (sites.length === 1) {
			console.log(`\nSummary (${heading})`);
			console.table(Object.fromEntries(PAGES.map((p) => [p, Object.fromEntries(columns(summaries[p][0]).map(([k, v]) => [k, v]))])));
		} else {
			console.log(`\nA = ${sites[0].label}, B = ${sites[1].label}, interleaved (${heading})`);
			const rows: Record<string, Record<string, string>> = {};
			for (const p of PAGES) {
				const [a, b] = summaries[p].map(columns);
				for (const [k, [, ta, na]] of a.entries()) {
					const [label, tb, nb] = b[k];
					const ratio = label !== 'changes' && ta.startsWith('int+') === tb.startsWith('int+') && Number.isFinite(na) && Number.isFinite(nb) && na !== 0;
					rows[`${p} ${label}`] = { A: ta, B: tb, 'B/A': ratio ? (nb / na).toFixed(2) : '' };
				}
			}
			console.table(rows);
		}
		for (const p of PAGES) {
			for (const [i, s] of summaries[p].entries()) {
				if (failures[p][i].length) console.log(`bench: ${p} (${names[i]}): ${failures[p][i].length} sample(s) failed and are left out: ${failures[p][i][0]}`);
				if (s.foreignRequests) console.log(`bench: ${p} (${names[i]}) made ${s.foreignRequests} request(s) to other origins (blocked); see the JSON`);
				if (s.noUpdate) console.log(`bench: ${p} (${names[i]}): ${s.noUpdate} change(s) started no view update (window.__kzQueries did not grow): left out`);
			}
		}

		let lh: { page: string; site: string; result?: LighthouseResult; error?: string }[] = [];
		if (env.BENCH_LIGHTHOUSE === '1') lh = await runLighthouse(sites, names, origins);

		const results = {
			date: new Date().toISOString(),
			chromium: version,
			node: process.version,
			data,
			runs: RUNS,
			changesPerRun: CHANGES,
			options: SAMPLE_OPTIONS,
			sites: sites.map((s, i) => ({ name: names[i], label: s.label, origin: origins[i] })),
			pages: Object.fromEntries(
				PAGES.map((p) => [p, Object.fromEntries(sites.map((_, i) => [names[i], { summary: summaries[p][i], samples: samples[p][i], failures: failures[p][i] }]))])
			),
			lighthouse: lh
		};
		const compare = env.BENCH_COMPARE ? `-vs-${sites[0].label.replace(/.*\(|\).*/g, '')}` : '';
		const out = `bench-results${SCALE ? `-scale-${SCALE}` : ''}${compare}.json`;
		writeFileSync(out, JSON.stringify(results, null, 1));
		console.log(`Written to ${out}`);
	} finally {
		for (const s of servers) s.kill();
		for (const s of sites) if (s.temporary) rmSync(s.dir, { recursive: true, force: true });
	}
}

async function runLighthouse(sites: Site[], names: string[], origins: string[]) {
	if (!lighthouseAvailable()) throw new Error('bench: BENCH_LIGHTHOUSE=1 but node_modules/lighthouse is missing (npm ci)');
	const runs = num(env.BENCH_LH_RUNS, 1);
	const all: { page: string; site: string; result?: LighthouseResult; error?: string }[] = [];
	for (const page of LH_PAGES) {
		for (let r = 0; r < runs; r++) {
			const order = sites.map((_, i) => i);
			if (r % 2 === 1) order.reverse();
			for (const i of order) {
				try {
					const result = await lighthouse(origins[i] + page, CHROMIUM);
					all.push({ page, site: names[i], result });
					console.log(`  lighthouse ${page}${sites.length > 1 ? ' ' + names[i] : ''}: ${f0(result.score)} (${result.seconds.toFixed(0)} s)`);
				} catch (e) {
					all.push({ page, site: names[i], error: (e as Error).message });
					console.log(`  lighthouse ${page}: failed: ${(e as Error).message.slice(0, 300)}`);
				}
			}
		}
	}
	const table: Record<string, Record<string, string>> = {};
	for (const page of LH_PAGES) {
		for (const name of names) {
			const rs = all.filter((x) => x.page === page && x.site === name && x.result).map((x) => x.result!);
			if (!rs.length) continue;
			const med = (f: (x: LighthouseResult) => number) => median(rs.map(f));
			table[`${page}${names.length > 1 ? ' ' + name : ''}`] = {
				score: f0(med((x) => x.score)),
				'FCP ms': f0(med((x) => x.fcpMs)),
				'LCP ms': f0(med((x) => x.lcpMs)),
				'TBT ms': f0(med((x) => x.tbtMs)),
				CLS: med((x) => x.cls).toFixed(3),
				'other origins': String(rs.reduce((n, x) => n + x.foreign.length, 0))
			};
		}
	}
	const v = all.find((x) => x.result)?.result?.version;
	console.log(`\nLighthouse ${v ?? ''} mobile (simulated throttling), performance; medians of ${runs}:`);
	console.table(table);
	const warned = new Set(all.flatMap((x) => x.result?.warnings ?? []));
	for (const w of warned) console.log(`lighthouse warning: ${w.slice(0, 200)}`);
	return all;
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
