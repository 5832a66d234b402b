/**
 * Where one filter change goes (not a test, not the benchmark): opens a page of a served build,
 * waits for its live views, makes N changes of the from-year select and prints
 *   - the in-page change times (the benchmark's own measure, INSTRUMENT from changes.ts);
 *   - default: a Chromium trace: main-thread time per change by kind (script, style, layout, paint,
 *     GC) and, for the first changes, each task from the input event on with what ran in it;
 *   - CPU=1: a V8 CPU profile: self and inclusive time per function, and per file.
 * Build with PROFILE_BUILD=1 (no minification) for readable function names, serve build/ with
 * `PORT=4190 node scripts/serve.mjs`, then:
 *   npx tsx scripts/bench/profile.ts http://localhost:4190/allegations/ 20
 * Tracing and profiling slow the page down: compare runs with each other, not with `npm run bench`.
 */
import { chromium } from '@playwright/test';
import { INSTRUMENT } from './changes';
const url = process.argv[2] ?? 'http://localhost:4190/';
const N = Number(process.argv[3] ?? 20);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.addInitScript(INSTRUMENT);
await page.goto(url);
// Dashboard pages start the app on the first pointer (scripts/defer-start.mjs).
await page.mouse.move(1, 1);
await page.mouse.move(8, 8);
await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
await page.waitForFunction(() => (window as any).__engineReadyAt !== undefined, null, { timeout: 60000 });
await page.waitForTimeout(1500);
const sel = 'select[data-filter="from"]';
const n = await page.locator(sel).locator('option').count();
const settle = async () => {
	await page.waitForFunction(() => { const q = (window as any).__kzQueries; return q && q.settled === q.started; }, null, { polling: 5 });
	await page.waitForFunction((k) => (window as any).__bench.results.length > k, await page.evaluate(() => (window as any).__bench.results.length - 1));
};
// warm-up
await page.locator(sel).selectOption({ index: 3 });
await page.waitForTimeout(500);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
if (process.env.CPU) await cdp.send('Profiler.start');
else await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'] });
for (let i = 0; i < N; i++) {
	await page.evaluate(() => (window as any).__bench.arm());
	const k = await page.evaluate(() => (window as any).__bench.results.length);
	await page.locator(sel).selectOption({ index: (i % Math.min(n - 1, 8)) + 1 });
	await page.waitForFunction((k) => (window as any).__bench.results.length > k, k, { polling: 5 });
	await page.waitForTimeout(150);
}
if (process.env.CPU) {
	const { profile } = (await cdp.send('Profiler.stop')) as any;
	const self = new Map<string, number>();
	const dt = new Map<number, number>();
	const ids: number[] = profile.samples; const deltas: number[] = profile.timeDeltas;
	for (let i = 0; i < ids.length; i++) dt.set(ids[i], (dt.get(ids[i]) ?? 0) + deltas[i] / 1000);
	for (const node of profile.nodes) {
		const f = node.callFrame; const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
		self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0));
	}
	const results = await page.evaluate((N) => (window as any).__bench.results.slice(-N), N);
	console.log('in-page ms sorted', results.map((r: any) => r.ms).sort((a: number, b: number) => a - b).map((x: number) => x.toFixed(1)).join(' '));
	for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(k.padEnd(70), (v / N).toFixed(2));
	const byFile = new Map<string, number>();
	for (const node of profile.nodes) { const f = node.callFrame.url.split('/').pop() || node.callFrame.functionName; byFile.set(f, (byFile.get(f) ?? 0) + (dt.get(node.id) ?? 0)); }
	// inclusive time per function (counted once per stack)
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
	const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
	const incl = new Map<string, number>();
	for (const node of profile.nodes) {
		const t = dt.get(node.id) ?? 0; if (!t) continue;
		const seen = new Set<string>();
		for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
			const f = byId.get(id).callFrame; const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
			if (seen.has(key)) continue; seen.add(key); incl.set(key, (incl.get(key) ?? 0) + t);
		}
	}
	console.log('--- inclusive'); for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 70)) console.log(k.padEnd(70), (v / N).toFixed(2));
	console.log('--- by file'); for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(k.padEnd(40), (v / N).toFixed(2));
	await browser.close();
	process.exit(0);
}
const buf = await browser.stopTracing();
const results = await page.evaluate((N) => (window as any).__bench.results.slice(-N), N);
const ms = results.map((r: any) => r.ms).sort((a: number, b: number) => a - b);
console.log('in-page ms sorted', ms.map((x: number) => x.toFixed(1)).join(' '));
const trace = JSON.parse(buf.toString()).traceEvents as any[];
// main thread: the renderer thread with most RunTask
const names = new Map<string, number>();
const byTid = new Map<string, number>();
for (const e of trace) if (e.name === 'RunTask' && e.ph === 'X') byTid.set(`${e.pid}:${e.tid}`, (byTid.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
const tn = trace.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
const main = tn.sort((a, b) => (byTid.get(b) ?? 0) - (byTid.get(a) ?? 0))[0];
const ev = trace.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X');
// self-time of top-level categories in tasks
const interesting = ['EventDispatch', 'FunctionCall', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'V8.GC_SCAVENGER', 'MinorGC', 'MajorGC', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'HitTest', 'ParseHTML', 'v8.callFunction', 'IntersectionObserverController::computeIntersections', 'UpdateLayer', 'ScheduleStyleRecalculation', 'InvalidateLayout'];
for (const e of ev) if (interesting.includes(e.name)) names.set(e.name, (names.get(e.name) ?? 0) + e.dur / 1000);
const tasks = ev.filter((e) => e.name === 'RunTask');
const total = tasks.reduce((s, e) => s + e.dur / 1000, 0);
console.log('main thread RunTask total ms per change', (total / N).toFixed(1));
for (const [k, v] of [...names].sort((a, b) => b[1] - a[1])) console.log(k.padEnd(40), (v / N).toFixed(2));

// timeline per change: tasks from the 'input' EventDispatch for 120 ms
const anchors = ev.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'input');
const kids = ev.filter((e) => interesting.includes(e.name) && e.name !== 'EventDispatch');
for (const a of anchors.slice(0, 4)) {
	const line: string[] = [];
	for (const t of tasks) {
		if (t.ts < a.ts - 2000 || t.ts > a.ts + 120_000) continue;
		const inner = ev.filter((k) => k !== t && k.ts >= t.ts && k.ts < t.ts + t.dur && k.dur > 700).map((k) => `${k.name}${k.args?.data?.functionName ? '(' + k.args.data.functionName + ' ' + String(k.args.data.url).split('/').pop() + ':' + k.args.data.lineNumber + ')' : ''}${k.args?.data?.type ? '<' + k.args.data.type + '>' : ''}:${(k.dur / 1000).toFixed(1)}`);
		if (t.dur < 500) continue;
		line.push(`+${((t.ts - a.ts) / 1000).toFixed(1)} [${(t.dur / 1000).toFixed(1)}]\n     ${inner.join('\n     ')}`);
	}
	console.log('---\n' + line.join('\n'));
}
await browser.close();
