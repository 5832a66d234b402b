/**
 * The sites the bench serves: the current build, a built older revision (compare mode), each
 * optionally over a bigger release (scale mode), and a static server for each.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Site {
	label: string;
	/** The folder served (a build/ folder). */
	dir: string;
	/** The folder holding serve.mjs (and the headers it imports) for this site. */
	scripts: string;
	/** Delete `dir` when done (a temporary copy). */
	temporary: boolean;
}

function run(cmd: string, args: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): void {
	const t0 = Date.now();
	const r = spawnSync(cmd, args, { cwd, env, stdio: 'inherit' });
	if (r.status !== 0) throw new Error(`bench: ${cmd} ${args.join(' ')} (in ${cwd}) failed`);
	console.log(`bench: ${cmd} ${args.slice(0, 3).join(' ')} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function git(args: string[]): string {
	const r = spawnSync('git', args, { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`bench: git ${args.join(' ')}: ${r.stderr.trim()}`);
	return r.stdout.trim();
}

/** build/ (or another built folder, served with this tree's serve.mjs). */
export function currentSite(dir?: string): Site {
	const site = path.resolve(dir ?? 'build');
	if (!existsSync(path.join(site, 'index.html'))) throw new Error(`bench: ${site}/index.html is missing; run "npm run build" (npm run bench does)`);
	return { label: dir ? (path.relative('.', site).startsWith('..') ? site : path.relative('.', site)) : 'working tree', dir: site, scripts: path.resolve('scripts'), temporary: false };
}

/**
 * A revision's built site, cached in data/generated/bench-<sha>/ (site/ and its serve scripts):
 * a temporary git worktree, npm ci there, its own `npm run build`, then the worktree is removed.
 */
export function revisionSite(rev: string): Site {
	const sha = git(['rev-parse', '--verify', `${rev}^{commit}`]);
	const cache = path.resolve(`data/generated/bench-${sha.slice(0, 12)}`);
	const site: Site = { label: `${rev} (${sha.slice(0, 9)})`, dir: path.join(cache, 'site'), scripts: path.join(cache, 'scripts'), temporary: false };
	if (existsSync(path.join(site.dir, 'index.html'))) {
		console.log(`bench: ${rev} = ${sha.slice(0, 12)}, built site cached in ${path.relative('.', cache)}/`);
		return site;
	}
	const tree = mkdtempSync(path.join(tmpdir(), `kz-bench-tree-${sha.slice(0, 9)}-`));
	console.log(`bench: building ${rev} (${sha.slice(0, 12)}) in a temporary worktree ${tree}`);
	try {
		git(['worktree', 'add', '--detach', tree, sha]);
		// The same pseudonym key as this tree, so both releases have the same ids.
		if (existsSync('data/generated/pseudonym.key')) {
			mkdirSync(path.join(tree, 'data/generated'), { recursive: true });
			cpSync('data/generated/pseudonym.key', path.join(tree, 'data/generated/pseudonym.key'));
		}
		run('npm', ['ci', '--no-audit', '--no-fund'], tree);
		run('npm', ['run', 'build'], tree);
		rmSync(cache, { recursive: true, force: true });
		mkdirSync(site.scripts, { recursive: true });
		cpSync(path.join(tree, 'build'), site.dir, { recursive: true });
		// Its own static server and headers (the headers may differ between revisions).
		for (const f of readdirSync(path.join(tree, 'scripts'))) if (f.endsWith('.mjs')) cpSync(path.join(tree, 'scripts', f), path.join(site.scripts, f));
	} finally {
		spawnSync('git', ['worktree', 'remove', '--force', tree], { stdio: 'inherit' });
		rmSync(tree, { recursive: true, force: true });
		spawnSync('git', ['worktree', 'prune']);
	}
	return site;
}

/** Makes (once) the release for a scale: data/generated/release-<scale>. */
function releaseFor(scale: string): string {
	const release = path.resolve(`data/generated/release-${scale}`);
	if (!existsSync(path.join(release, 'datapackage.json'))) {
		const raw = path.resolve(`data/generated/raw-${scale}`);
		run('npx', ['tsx', 'scripts/generate/index.ts', '--seed', '2014', '--scale', scale, '--out', raw]);
		run('npx', ['tsx', 'scripts/pipeline/index.ts', '--input', raw, '--out', release]);
	}
	// Optional step after the pipeline: derive the dashboard's rollups into the release folder.
	if (existsSync('scripts/rollups/index.ts')) run('npx', ['tsx', 'scripts/rollups/index.ts', '--data', release]);
	return release;
}

/**
 * A temporary copy of `base` whose data/ holds the release of this scale instead of the built-in
 * demo release. The pages stay as built (their prerendered default view is from the demo data);
 * everything the browser engine computes runs over the big files. `release` is made once for
 * all sites of a run.
 */
export function withRelease(base: Site, release: string, scale: string): Site {
	const dir = mkdtempSync(path.join(tmpdir(), `kz-bench-${scale}-`));
	cpSync(base.dir, dir, { recursive: true });
	const data = path.join(dir, 'data');
	// build/data/ also holds the portal's pages (/data/, /data/sql/: folders with an index.html):
	// remove every other file and folder (release files, their .br/.gz, rollups/), then copy the
	// whole release folder, files and subfolders.
	for (const f of readdirSync(data, { withFileTypes: true })) {
		const p = path.join(data, f.name);
		if (f.isDirectory() ? !existsSync(path.join(p, 'index.html')) : !f.name.startsWith('index.html') && !f.name.startsWith('__data.json')) {
			rmSync(p, { recursive: true, force: true });
		}
	}
	cpSync(release, data, { recursive: true });
	// As deployed: compressible release files (JSON, Markdown) get their .br/.gz.
	run(process.execPath, ['scripts/precompress.mjs', data]);
	return { ...base, label: `${base.label}, scale ${scale}`, dir, temporary: true };
}

export function scaleRelease(scale: string | undefined): string | undefined {
	return scale && scale !== '1' ? releaseFor(scale) : undefined;
}

export async function serve(site: Site, port: number): Promise<ChildProcess> {
	const server = spawn(process.execPath, [path.join(site.scripts, 'serve.mjs'), site.dir], {
		env: { ...process.env, PORT: String(port), HOST: 'localhost' },
		stdio: 'ignore'
	});
	const origin = `http://localhost:${port}`;
	for (let i = 0; i < 200; i++) {
		if (server.exitCode !== null) break;
		try {
			if ((await fetch(origin + '/')).ok) return server;
		} catch {
			/* not up yet */
		}
		await sleep(100);
	}
	server.kill();
	throw new Error(`bench: the server for ${site.label} did not start on port ${port} (is the port taken?)`);
}
