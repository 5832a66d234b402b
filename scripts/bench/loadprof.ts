/**
 * Where a page load goes on the main thread (not a test, not the benchmark): loads a served page
 * with the CPU slowed down (default 4x, as Lighthouse's mobile preset), records a Chromium trace
 * from navigation until hydration plus 3 s, and prints each main-thread task over 20 ms with what
 * ran inside it (script, style, layout, parse, paint, GC) and the JS functions behind forced
 * layouts and style recalculations. Use with a PROFILE_BUILD=1 build for readable names:
 *   npx tsx scripts/bench/loadprof.ts http://localhost:4190/embed/region-map/ [slowdown]
 */
import { chromium } from '@playwright/test';
const url = process.argv[2] ?? 'http://localhost:4190/';
const slow = Number(process.argv[3] ?? 4);
const mobile = process.env.MOBILE !== '0';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage(mobile ? { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true } : { viewport: { width: 1280, height: 900 } });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: slow });
// Dashboard pages and embeds start the app on the first pointer (scripts/defer-start.mjs): point at the page, as a reader would.
const reach = async () => {
	await page.waitForLoadState('load');
	await page.mouse.move(1, 1);
	await page.mouse.move(8, 8);
};
if (process.env.CPU) {
	// A V8 CPU profile of the load: same-origin blank first so the renderer (and the profiler) survives the navigation.
	await page.goto(new URL('/favicon.svg', url).href);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
	await cdp.send('Profiler.start');
	await page.goto(url);
	if (!process.env.NOWAIT) await reach();
	if (!process.env.NOWAIT) await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: 60000 });
	await page.waitForTimeout(3000);
	const { profile } = (await cdp.send('Profiler.stop')) as any;
	const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
	const dt = profile.timeDeltas as number[];
	const self = new Map<number, number>();
	profile.samples.forEach((id: number, i: number) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0) / 1000));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const selfBy: Record<string, number> = {};
	const inclBy: Record<string, number> = {};
	for (const [id, t] of self) {
		const n = byId.get(id);
		const key = (n2: any) => `${n2.callFrame.functionName || '(anon)'} ${String(n2.callFrame.url).replace(/^.*\//, '')}:${n2.callFrame.lineNumber}`;
		selfBy[key(n)] = (selfBy[key(n)] ?? 0) + t;
		const seen = new Set<string>();
		for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
			const k = key(byId.get(p));
			if (!seen.has(k)) { seen.add(k); inclBy[k] = (inclBy[k] ?? 0) + t; }
		}
	}
	const top = (o: Record<string, number>, n: number) => Object.entries(o).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${v.toFixed(1).padStart(7)} ms  ${k}`).join('\n');
	console.log('self time (ms, at the slowdown):\n' + top(selfBy, 30));
	console.log('inclusive:\n' + top(inclBy, 45));
	const rt = process.env.RUNTIME ?? '';
	if (rt) console.log('inclusive outside ' + rt + ':\n' + top(Object.fromEntries(Object.entries(inclBy).filter(([k]) => !k.includes(rt))), 60));
	await browser.close();
	process.exit(0);
}
await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'disabled-by-default-devtools.timeline.stack'] });
await page.goto(url);
if (!process.env.NOWAIT) await reach();
if (!process.env.NOWAIT) await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: 60000 });
await page.waitForTimeout(3000);
const buf = await browser.stopTracing();
await browser.close();
type Ev = { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: any };
const events: Ev[] = JSON.parse(buf.toString()).traceEvents;
const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const mine = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
const nav = events.find((e) => e.name === 'navigationStart' || e.name === 'TracingStartedInBrowser');
const t0 = mine.length ? mine[0].ts : 0;
const kind = (n: string) =>
	/^(EvaluateScript|FunctionCall|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|V8.Execute|v8.callFunction|FireIdleCallback)$/.test(n) ? 'script' :
	n === 'UpdateLayoutTree' || n === 'RecalculateStyles' || n === 'ParseAuthorStyleSheet' ? 'style' : n === 'Layout' ? 'layout' : n === 'ParseHTML' ? 'parse' :
	/Paint|Composite|Layerize|PrePaint|UpdateLayer/.test(n) ? 'paint' : /GC|Scavenge/.test(n) ? 'gc' : /Compile|CacheScript/.test(n) ? 'compile' : '';
const tasks = mine.filter((e) => e.name === 'RunTask' && e.dur! > 20000);
let total = 0;
for (const t of tasks) {
	const end = t.ts + t.dur!;
	const inner = mine.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur! <= end);
	const by: Record<string, number> = {};
	// self-time-ish: count only outermost events of each kind
	const stack: Ev[] = [];
	for (const e of inner) {
		const k = kind(e.name);
		if (!k) continue;
		while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur! <= e.ts) stack.pop();
		if (!stack.some((s) => kind(s.name) === k)) by[k] = (by[k] ?? 0) + e.dur! / 1000;
		stack.push(e);
	}
	const names = inner.filter((e) => e.name === 'EvaluateScript' || e.name === 'FunctionCall').slice(0, 3).map((e) => (e.args?.data?.url ?? e.args?.data?.functionName ?? '').toString().replace(/^.*\//, ''));
	total += Math.max(0, t.dur! / 1000 - 50);
	console.log(`task @${((t.ts - t0) / 1000).toFixed(0)}ms ${(t.dur! / 1000).toFixed(0)}ms ` + Object.entries(by).map(([k, v]) => `${k}=${v.toFixed(0)}`).join(' ') + (names.length ? ' [' + names.join(', ') + ']' : ''));
	if (process.env.DETAIL) {
		const names: Record<string, number> = {};
		for (const e of inner) names[e.name] = (names[e.name] ?? 0) + e.dur! / 1000;
		console.log('    ' + Object.entries(names).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k}=${v.toFixed(0)}`).join(' '));
	}
	for (const e of inner.filter((e) => (e.name === 'Layout' || e.name === 'UpdateLayoutTree') && e.dur! > 3000)) {
		const st = e.args?.beginData?.stackTrace ?? e.args?.data?.stackTrace;
		const f = st?.slice(0, 4).map((s: any) => `${s.functionName || '(anon)'}@${String(s.url).replace(/^.*\//, '')}:${s.lineNumber}`).join(' < ');
		const elems = e.args?.beginData?.dirtyObjects ?? e.args?.elementCount ?? '';
		console.log(`    ${e.name} ${(e.dur! / 1000).toFixed(1)}ms ${elems} ${f ?? '(not forced)'}`);
	}
}
console.log(`sum over 50 ms (TBT-like, from trace start): ${total.toFixed(0)} ms`);
void nav;
