/**
 * The pipeline: monitors' files in, anonymised release out.
 *
 *   npm run data:ingest -- --input DIR --out DIR [--k 5] [--key-file F] [--previous DIR [--corrections]] [--version X.Y.Z]
 *
 * load (load.ts, DuckDB's CSV reader) + validate (validate.ts, SQL) -> cross-file checks (crosscheck.ts) -> stop here if
 * anything is wrong, output untouched -> release tables (release.ts) -> k-anonymity (anonymise.ts) ->
 * Parquet + datapackage.json + disclosure report in a staging folder -> swap into --out (publish.ts).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../lib/args.ts';
import { ErrorCollector, plainReason } from './errors.ts';
import { findInputFiles } from './read.ts';
import { INPUT_TABLES } from './schema.ts';
import { validateTable, type Intermediate } from './validate.ts';
import { openDb } from './db.ts';
import { crossCheck } from './crosscheck.ts';
import { inputDigest, loadKey, planKey, pseudonymMacroSql } from './key.ts';
import { buildReleaseTables } from './release.ts';
import { anonymiseAllegations, buildReleasedAllegations, type DisclosureStats } from './anonymise.ts';
import { makeReleaseId, readPrevious, reviseAllegations, type RevisionSummary } from './revisions.ts';
import type { ProxyReport } from './proxies.ts';
import { publish, stagingDir, swapInto } from './publish.ts';
import { buildRollups } from '../rollups/build.ts';
import { todayIso } from './normalise.ts';
import { archivePrevious, archivedVersions, nextVersion, releaseVersion, VERSION_RE } from './archive.ts';
import { computeChanges, firstReleaseChanges } from './changes.ts';

export interface IngestOptions {
	input: string;
	out: string;
	k?: number;
	l?: number;
	keyFile?: string;
	/** The release published last (its folder): rows already out keep their form (see revisions.ts). */
	previous?: string;
	/** Apply corrections of rows already published, as one checked batch (needs `previous`). */
	corrections?: boolean;
	/** This release's version (x.y.z); default: the previous release's next minor version, or 1.0.0 for a first release. */
	version?: string;
	/** Pin "today" (for tests); default: the real date. */
	today?: string;
	/** Tests only: leave proxies unblanked (proxies.ts), to show the attack that the blanking stops. Never for a release. */
	withoutProxyProtection?: boolean;
	log?: (line: string) => void;
	/** Called as each stage begins ("done" at the end): lets `npm run bench:pipeline` time the stages. */
	stage?: (name: string) => void;
}

export interface IngestResult {
	ok: boolean;
	errors: ErrorCollector;
	rows?: Record<string, number>;
	disclosure?: DisclosureStats;
	revision?: RevisionSummary;
	seconds: number;
}

export async function ingest(opts: IngestOptions): Promise<IngestResult> {
	const started = Date.now();
	const log = opts.log ?? ((l: string) => console.log(l));
	const stage = opts.stage ?? (() => {});
	const k = opts.k ?? 5;
	const l = opts.l ?? 2;
	const errors = new ErrorCollector();
	if (!Number.isInteger(k) || k < 2) errors.add(`--k ${k}: expected a whole number of 2 or more`);
	const today = opts.today ?? todayIso();
	const files = findInputFiles(opts.input, INPUT_TABLES.map((t) => t.name), errors);
	const keyPlan = planKey(opts.keyFile);
	if ('file' in keyPlan && keyPlan.mustExist && !existsSync(keyPlan.file)) errors.add(`--key-file ${keyPlan.file} does not exist (expected a file holding the pseudonym key)`);
	if (opts.corrections && !opts.previous) errors.add('--corrections needs --previous DIR (the release whose rows are corrected)');
	const previous = opts.previous ? readPrevious(opts.previous, errors) : null;
	let version = opts.version ?? '1.0.0';
	if (opts.version !== undefined && !VERSION_RE.test(opts.version)) errors.add(`--version ${opts.version}: expected a release version like 1.2.0`);
	if (previous) {
		try {
			const prevVersion = releaseVersion(previous.dir);
			version = opts.version ?? nextVersion(prevVersion);
			const taken = [...archivedVersions(previous.dir), prevVersion];
			if (taken.includes(version)) errors.add(`--version ${version}: the previous release in ${previous.dir} already has that version (releases there: ${taken.join(', ')}); give a new one`);
		} catch (err) {
			errors.add(`--previous ${previous.dir}: ${(err as Error).message}`);
		}
	}
	if (!opts.previous && existsSync(join(opts.out, 'allegations.parquet')))
		log(`note: ${opts.out} already holds a release and no --previous was given: this release is anonymised from scratch, and comparing it with the one it replaces can single out changed rows (see docs/data-pipeline.md, "Successive releases")`);

	// The input digest (SHA-256 of every file, about 4 s at 10 million allegations, on this thread)
	// runs while DuckDB's threads read and check the files; it is used only if they pass.
	const digestPending = errors.ok ? settle(inputDigest(files.map((f) => f.path))) : null;
	const workdir = mkdtempSync(join(tmpdir(), 'npm-ingest-'));
	const db = await openDb(workdir);
	let staging: string | null = null;
	try {
		const intermediates = new Map<string, Intermediate>();
		const inputRows: Record<string, number> = {};
		for (const spec of INPUT_TABLES) {
			const file = files.find((f) => f.table === spec.name);
			if (!file) continue;
			stage(`read ${file.name}`);
			const t0 = Date.now();
			let im: Intermediate | null;
			try {
				im = await validateTable(db.conn, file, spec, workdir, errors, today, stage);
			} catch (err) {
				// Never the engine's or the system's raw text: the file, and the reason in words.
				errors.add(`${file.name}: could not be read to the end (${plainReason(err)})`);
				continue;
			}
			if (im) {
				intermediates.set(spec.name, im);
				inputRows[spec.name] = im.rows;
				log(`read ${file.name}: ${im.rows} rows (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
			}
		}
		stage('checks across files');
		try {
			await crossCheck(db.conn, intermediates, errors);
		} catch (err) {
			errors.add(`the checks across files could not be completed (${plainReason(err)})`);
		}
		for (const w of errors.warnings) log(`note: ${w}`);
		if (!errors.ok) {
			stage('done');
			return { ok: false, errors, seconds: (Date.now() - started) / 1000 };
		}

		const key = loadKey(keyPlan);
		if (key.created) log(`created a new pseudonym key in ${key.origin} (keep it private and reuse it, so ids stay stable between releases)`);
		else log(`pseudonym key from ${key.origin}`);
		await db.conn.run(pseudonymMacroSql(key.key));
		stage('input digest');
		const digest = await (digestPending ?? settle(inputDigest(files.map((f) => f.path))))();
		stage('release tables');
		const releaseId = makeReleaseId(key.key, digest, previous?.id ?? null);
		const withheld = await buildReleaseTables(db.conn, releaseId);
		stage('anonymise allegations');
		const protectProxies = !opts.withoutProxyProtection;
		let disclosure: DisclosureStats;
		let revision: RevisionSummary | undefined;
		let proxies: ProxyReport;
		if (previous) {
			const revised = await reviseAllegations(db.conn, previous, { releaseId, k, l, corrections: !!opts.corrections, errors, protectProxies });
			if (!revised) return { ok: false, errors, seconds: (Date.now() - started) / 1000 };
			({ disclosure, revision, proxies } = revised);
		} else {
			disclosure = await anonymiseAllegations(db.conn, k, l);
			proxies = await buildReleasedAllegations(db.conn, { protectProxies });
		}

		stage('write Parquet + report');
		staging = stagingDir(opts.out);
		const synthetic = existsSync(join(opts.input, 'SYNTHETIC.json'));
		const release = { id: releaseId, version, history: previous?.history ?? [], revision };
		const rows = await publish({ conn: db.conn, staging, synthetic, disclosure, withheld, proxies, keyOrigin: key.origin, inputRows, release });
		db.close();
		// The dashboard's rollups, derived from the release just written (so they go live with it).
		stage('rollups');
		await buildRollups(staging);
		// What changed since the previous release (changes.json), and the previous release kept under releases/<version>/.
		stage('changes');
		const changes = previous ? await computeChanges(previous.dir, staging) : firstReleaseChanges(staging);
		writeFileSync(join(staging, 'changes.json'), JSON.stringify(changes, null, 2) + '\n');
		if (previous) archivePrevious(previous.dir, staging);
		swapInto(staging, opts.out);
		staging = null;
		stage('done');
		log(`wrote ${Object.entries(rows).map(([t, n]) => `${t} ${n}`).join(', ')} to ${opts.out}`);
		log(`allegations: k=${k}, l=${l}; smallest class ${disclosure.smallest_class_size}; ${disclosure.rows_suppressed} rows ${revision ? 'held back' : 'removed'}; see disclosure-report.md`);
		if (revision)
			log(`after release ${revision.previous_release}: ${revision.added} new rows published, ${revision.held_back} held back; corrections ${revision.corrections.applied_in_place + revision.corrections.applied_moved} applied, ${revision.corrections.held_back} held back, ${revision.corrections.pending} pending${revision.corrections.pending > 0 ? ' (run with --corrections to apply them)' : ''}`);
		return { ok: true, errors, rows, disclosure, revision, seconds: (Date.now() - started) / 1000 };
	} finally {
		try {
			db.close();
		} catch {
			/* already closed */
		}
		rmSync(workdir, { recursive: true, force: true });
		if (staging) rmSync(staging, { recursive: true, force: true });
	}
}

/** Start a promise now and read its outcome later: a failure is thrown when asked for, never reported as unhandled. */
function settle<T>(promise: Promise<T>): () => Promise<T> {
	const outcome = promise.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error })
	);
	return async () => {
		const o = await outcome;
		if (!o.ok) throw o.error;
		return o.value;
	};
}

async function main(): Promise<void> {
	let args;
	try {
		args = parseArgs(process.argv.slice(2), { input: 'string', out: 'string', k: 'number', 'key-file': 'string', previous: 'string', corrections: 'boolean', version: 'string' });
	} catch (err) {
		console.error(`${(err as Error).message}\nusage: npm run data:ingest -- --input DIR --out DIR [--k 5] [--key-file F] [--previous DIR [--corrections]] [--version X.Y.Z]`);
		process.exit(2);
	}
	if (!args.input || !args.out) {
		console.error('usage: npm run data:ingest -- --input DIR --out DIR [--k 5] [--key-file F] [--previous DIR [--corrections]] [--version X.Y.Z]');
		process.exit(2);
	}
	const result = await ingest({ input: args.input as string, out: args.out as string, k: args.k as number | undefined, keyFile: args['key-file'] as string | undefined, previous: args.previous as string | undefined, corrections: args.corrections === true, version: args.version as string | undefined });
	if (!result.ok) {
		console.error(result.errors.report());
		process.exit(1);
	}
	console.log(`pipeline finished in ${result.seconds.toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
	main().catch((err) => {
		console.error(`the pipeline stopped: ${plainReason(err)}; nothing was written`);
		process.exit(1);
	});
}
