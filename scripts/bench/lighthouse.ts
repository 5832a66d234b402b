/**
 * Lighthouse (pinned devDependency, 12.8.2: the newest line that runs on Node 20; 13.x needs
 * Node >= 22.19) on a page: mobile preset (its default: emulated moto g power, simulated slow 4G
 * and 4x CPU slowdown), performance category only, run through its CLI with the bench's Chromium
 * (headless, --no-sandbox). Lighthouse starts its own Chromium with a fresh profile; host names
 * other than localhost do not resolve in it, and every request Lighthouse saw is checked to be
 * on localhost.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface LighthouseResult {
	version: string;
	score: number;
	fcpMs: number;
	lcpMs: number;
	tbtMs: number;
	cls: number;
	speedIndexMs: number;
	foreign: string[];
	warnings: string[];
	seconds: number;
}

const CLI = path.resolve('node_modules/lighthouse/cli/index.js');

export const lighthouseAvailable = () => existsSync(CLI);

export function lighthouse(url: string, chromium: string): Promise<LighthouseResult> {
	const flags = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE localhost"'];
	const args = [
		CLI,
		url,
		'--only-categories=performance',
		'--output=json',
		'--output-path=stdout',
		'--quiet',
		'--no-enable-error-reporting',
		`--chrome-flags=${flags.join(' ')}`
	];
	const t0 = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, { env: { ...process.env, CHROME_PATH: chromium }, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) return reject(new Error(`lighthouse exited with ${code}: ${err.trim().slice(-2000)}`));
			try {
				// eslint-disable-next-line @typescript-eslint/no-explicit-any
				const r = JSON.parse(out) as any;
				const num = (id: string) => (r.audits[id]?.numericValue as number | undefined) ?? NaN;
				const items = (r.audits['network-requests']?.details?.items ?? []) as { url: string }[];
				resolve({
					version: r.lighthouseVersion,
					score: (r.categories.performance.score ?? NaN) * 100,
					fcpMs: num('first-contentful-paint'),
					lcpMs: num('largest-contentful-paint'),
					tbtMs: num('total-blocking-time'),
					cls: num('cumulative-layout-shift'),
					speedIndexMs: num('speed-index'),
					foreign: items.map((i) => i.url).filter((u) => /^https?:/.test(u) && new URL(u).hostname !== 'localhost'),
					warnings: r.runWarnings ?? [],
					seconds: (Date.now() - t0) / 1000
				});
			} catch (e) {
				reject(new Error(`lighthouse: unreadable report (${(e as Error).message}): ${err.trim().slice(-500)}`));
			}
		});
	});
}
