import { chromium } from '@playwright/test';
const url = process.argv[2];
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const ctx = await b.newContext(); const p = await ctx.newPage();
await p.goto('http://localhost:4199' + url);
await p.waitForFunction(() => document.querySelector('.engine-state')?.getAttribute('data-engine') === 'live', null, { timeout: 20000 });
const cdp = await ctx.newCDPSession(p);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
await cdp.send('Profiler.start');
const years = ['2016','2018','2020','2015','2019','2017'];
const times = [];
for (const y of years) {
  const t0 = Date.now();
  await p.locator('[data-filter="from"]').selectOption(y);
  await p.waitForFunction(() => { const q = window.__kzQueries; return q && q.started === q.settled; });
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  times.push(Date.now() - t0);
}
const { profile } = await cdp.send('Profiler.stop');
console.log('times', times.join(' '));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map(), self = new Map(); const dt = profile.timeDeltas;
const key = (f) => `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
profile.samples.forEach((id, i) => { const d = dt[i] / 1000; self.set(key(byId.get(id).callFrame), (self.get(key(byId.get(id).callFrame)) ?? 0) + d); const seen = new Set(); let cur = id; while (cur !== undefined) { const k = key(byId.get(cur).callFrame); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + d); } cur = parent.get(cur); } });
console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${v.toFixed(1).padStart(7)} ${k}`).join('\n'));
console.log('--- inclusive');
console.log([...incl.entries()].sort((a, b) => b[1] - a[1]).filter(([k]) => !/\(anon\)|consequent|alternate|children|CX_|\(root\)|\(program\)|\(idle\)/.test(k)).slice(0, 40).map(([k, v]) => `${v.toFixed(1).padStart(7)} ${k}`).join('\n'));
await b.close();
