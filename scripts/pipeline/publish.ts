/**
 * Writing the release: Parquet (zstd) per table, datapackage.json (Frictionless Data Package),
 * disclosure.json and disclosure-report.md. Everything goes to a temporary folder beside the output
 * folder; only when all files are written is the old output replaced by renaming, so a failed run
 * leaves the output exactly as it was.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadCodes, loadDictionary, type CodeListName } from '../lib/reference.ts';
import { lit, queryRows, queryValue } from './db.ts';
import { RELEASED_TABLES, type ReleasedTable } from './release.ts';
import type { DisclosureStats } from './anonymise.ts';
import type { ReleaseDisclosure } from './release.ts';
import { ALLEGATION_ID_SCHEME } from './key.ts';
import type { ProxyReport } from './proxies.ts';
import { renderDisclosureReport } from './report.ts';
import { historyEntry, renderRevisionSection, type ReleaseHistoryEntry, type RevisionSummary } from './revisions.ts';

/** Temporary sibling of the output folder (same file system, so the final rename is atomic). */
export function stagingDir(out: string): string {
	const abs = resolve(out);
	const dir = join(dirname(abs), `.${basename(abs)}.staging-${process.pid}`);
	mkdirSync(dir, { recursive: true });
	return dir;
}

/** Replace `out` by `staging`: out -> backup, staging -> out, remove backup. */
export function swapInto(staging: string, out: string): void {
	const abs = resolve(out);
	const backup = join(dirname(abs), `.${basename(abs)}.old-${process.pid}`);
	if (existsSync(abs)) renameSync(abs, backup);
	try {
		renameSync(staging, abs);
	} catch (err) {
		if (existsSync(backup)) renameSync(backup, abs);
		throw err;
	}
	rmSync(backup, { recursive: true, force: true });
}

/**
 * Parquet options: zstd as the contract says. duckdb-wasm 1.28 (DuckDB 0.9.1) in the app reads this:
 * checked with the Node build of duckdb-wasm (tests/unit/pipeline). V1 pages are the conservative choice.
 */
export async function writeParquet(conn: DuckDBConnection, table: ReleasedTable, dir: string): Promise<string> {
	const path = join(dir, `${table}.parquet`);
	await conn.run(`COPY rel_${table} TO ${lit(path)} (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION V1, ROW_GROUP_SIZE 122880)`);
	return path;
}

async function sha256File(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

const FRICTIONLESS_TYPE: Record<string, string> = { VARCHAR: 'string', INTEGER: 'integer', BIGINT: 'integer', DOUBLE: 'number', BOOLEAN: 'boolean', DATE: 'date' };

/** Column -> code list whose codes it holds (for constraints.enum). */
const CODE_COLUMNS: Record<string, CodeListName> = {
	facility_type: 'facility_type',
	authority: 'authority',
	addressee: 'authority',
	security_level: 'security_level',
	capacity_band: 'capacity_band',
	visit_type: 'visit_type',
	body: 'body',
	indicator: 'indicator',
	channel: 'channel',
	allegation_type: 'allegation_type',
	perpetrator: 'perpetrator',
	victim_sex: 'victim_sex',
	victim_age_band: 'victim_age_band',
	outcome: 'outcome',
	theme: 'theme',
	priority: 'priority',
	status: 'status'
};

export const ANCHOR_SOURCES = [
	{ title: 'ACCA, reports on the NPM of Kazakhstan', note: 'NPM visits from April 2014' },
	{ title: 'UNDP Kazakhstan, assessments of the National Preventive Mechanism (2021, 2024)', note: 'visits a year, recommendations, share implemented' },
	{ title: 'KazTAG (2014)', note: 'torture complaints a year; share reaching court' },
	{ title: 'Commissioner for Human Rights via Kazinform (2025)', note: 'torture criminal cases 2019-2024' },
	{ title: 'Prosecutor General of Kazakhstan (March 2022)', note: 'cases after the January 2022 unrest' },
	{ title: 'UN Committee against Torture (CAT), on Kazakhstan', note: 'share of complaints prosecuted' },
	{ title: 'Ministry of Internal Affairs and officials of Kazakhstan', note: 'people held; 62 penal institutions and 16 SIZO (2024)' },
	{ title: 'Bureau of National Statistics of Kazakhstan', note: 'population at 1 January 2023' }
];

export interface PublishInput {
	conn: DuckDBConnection;
	staging: string;
	synthetic: boolean;
	disclosure: DisclosureStats;
	withheld: ReleaseDisclosure;
	proxies: ProxyReport;
	keyOrigin: string;
	inputRows: Record<string, number>;
	/** This release's id, the history of the series so far, and what changed since the previous release. */
	release: { id: string; version: string; history: ReleaseHistoryEntry[]; revision?: RevisionSummary };
}

export async function publish({ conn, staging, synthetic, disclosure, withheld, proxies, keyOrigin, inputRows, release }: PublishInput): Promise<Record<string, number>> {
	const codes = loadCodes();
	// Descriptions in English here; the portal shows them in the reader's language (data/dictionary.json).
	const dictionary = loadDictionary();
	const resources = [];
	const rowCounts: Record<string, number> = {};
	for (const table of RELEASED_TABLES) {
		const path = await writeParquet(conn, table, staging);
		// Counted in the file just written (its footer): rel_allegations is a view whose rows are computed as they are written.
		const rows = Number(await queryValue(conn, `SELECT count(*) FROM read_parquet(${lit(path)})`));
		rowCounts[table] = rows;
		const columns = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE rel_${table}`);
		resources.push({
			name: table,
			title: dictionary.tables[table].en,
			path: `${table}.parquet`,
			format: 'parquet',
			mediatype: 'application/vnd.apache.parquet',
			encoding: 'binary',
			compression: 'zstd',
			bytes: statSync(path).size,
			hash: `sha256:${await sha256File(path)}`,
			rows,
			schema: {
				fields: columns.map((c) => {
					const field: Record<string, unknown> = { name: c.column_name, type: FRICTIONLESS_TYPE[c.column_type] ?? 'any', description: dictionary.fields[c.column_name]?.en ?? '' };
					if (c.column_type === 'BIGINT' || c.column_type === 'INTEGER') field.duckdbType = c.column_type;
					const list = CODE_COLUMNS[c.column_name];
					if (list) field.constraints = { enum: Object.keys(codes[list]) };
					return field;
				})
			}
		});
	}
	// Region codes: the 20 units.
	const regionCodes = (await queryRows<{ region_code: string }>(conn, 'SELECT region_code FROM rel_regions ORDER BY 1')).map((r) => r.region_code);
	for (const r of resources) for (const f of r.schema.fields) if (f.name === 'region_code' || f.name === 'predecessor') f.constraints = { enum: regionCodes };

	const created = new Date().toISOString();
	const pkg = {
		profile: 'data-package',
		name: 'kz-detention-monitoring',
		title: synthetic ? 'Detention monitoring in Kazakhstan (synthetic demonstration data)' : 'Detention monitoring in Kazakhstan',
		description: synthetic
			? 'SYNTHETIC DEMONSTRATION DATA: invented records whose volumes follow the public figures listed in sources. No real person or case is described.'
			: 'Monitoring visits, findings, recommendations and allegations of ill-treatment in places of detention, anonymised by the pipeline (see disclosure-report.md).',
		version: release.version,
		created,
		synthetic,
		licenses: [{ name: 'CC-BY-4.0', title: 'Creative Commons Attribution 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' }],
		sources: [...(synthetic ? [{ title: 'Synthetic demonstration data generated by scripts/generate (not real records)', synthetic: true }] : []), ...ANCHOR_SOURCES],
		anonymisation: { k: disclosure.k, l: disclosure.l, report: 'disclosure-report.md', details: 'disclosure.json' },
		resources
	};
	writeFileSync(join(staging, 'datapackage.json'), JSON.stringify(pkg, null, 2) + '\n');
	const history = [...release.history, historyEntry(release.id, created, rowCounts.allegations, release.revision)];
	// allegation_ids: how this release's allegation ids were made (key.ts), read by the next release's --previous.
	const releaseJson = { id: release.id, allegation_ids: ALLEGATION_ID_SCHEME, previous: release.revision?.previous_release ?? null, history };
	const disclosureJson = { created, synthetic, key: { origin: keyOrigin.startsWith('environment') ? keyOrigin : 'file outside the output folder' }, release: releaseJson, input_rows: inputRows, released_rows: rowCounts, allegations: disclosure, revision: release.revision ?? null, proxies, visits: withheld };
	writeFileSync(join(staging, 'disclosure.json'), JSON.stringify(disclosureJson, null, 2) + '\n');
	const report = renderDisclosureReport(disclosure, withheld, proxies, inputRows, rowCounts, synthetic, created) + '\n' + renderRevisionSection(disclosure.k, disclosure.l, history, release.revision);
	writeFileSync(join(staging, 'disclosure-report.md'), report);
	return rowCounts;
}
