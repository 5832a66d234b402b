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
import { loadCodes, type CodeListName } from '../lib/reference.ts';
import { lit, queryRows, queryValue } from './db.ts';
import { RELEASED_TABLES, type ReleasedTable } from './release.ts';
import type { DisclosureStats } from './anonymise.ts';
import type { ReleaseDisclosure } from './release.ts';
import { renderDisclosureReport } from './report.ts';

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

const DESCRIPTIONS: Record<string, string> = {
	region_code: 'ISO 3166-2:KZ code of the first-level unit (today\'s 20 units); NULL in allegations where suppressed for privacy',
	name_en: 'Name in English',
	name_ru: 'Name in Russian',
	name_kk: 'Name in Kazakh',
	kind: 'region or city (of republican significance)',
	predecessor: 'Code of the unit this one was split from (2018, 2022), else NULL',
	year: 'Calendar year',
	residents: 'Residents (Bureau of National Statistics series on today\'s borders)',
	detainees: 'People held in penal institutions and pre-trial detention',
	facility_id: 'Pseudonym of the facility (keyed hash; not linkable without the key)',
	facility_type: 'Kind of place of detention (codes.json facility_type)',
	authority: 'Body running the facility (codes.json authority); NULL in allegations where facility_type was suppressed',
	security_level: 'Security regime of penal institutions, else NULL',
	capacity_band: 'Official capacity as a band, never the exact figure',
	visit_id: 'Pseudonym of the visit',
	visit_month: 'Month of the visit (first day of the month)',
	visit_type: 'planned, special (reactive) or follow_up',
	body: 'npm (National Preventive Mechanism) or pmc (Public Monitoring Commission)',
	team_size: 'Members in the visiting team',
	detainees_present: 'People held in the facility on the day of the visit; NULL (withheld) for every visit to a facility with an occupancy_rate finding, because present / occupancy would give its exact capacity',
	indicator: 'Condition indicator (codes.json indicator)',
	value: 'Measured value (m² per person, share) where the indicator has one, else NULL',
	meets_standard: 'Whether the standard of the indicator was met',
	allegation_id: 'Pseudonym of the allegation, valid within this release only (it changes whenever the input changes, so releases cannot be joined row by row)',
	report_year: 'Year the allegation was reported; NULL where suppressed',
	report_quarter: 'Quarter (1-4) the allegation was reported; NULL where generalised to the year',
	channel: 'How the allegation reached the record',
	allegation_type: 'Type of ill-treatment alleged',
	perpetrator: 'Alleged perpetrator group',
	victim_sex: 'Sex of the person; NULL where suppressed',
	victim_age_band: 'Age band at the report date (merged bands 18_34, 35_plus, 18_plus where generalised); NULL where suppressed',
	outcome: 'Latest known procedural outcome',
	recommendation_id: 'Pseudonym of the recommendation',
	issued_month: 'Month the recommendation was issued',
	theme: 'Theme of the recommendation',
	addressee: 'Authority the recommendation is addressed to',
	priority: 'high, medium or low',
	status: 'Latest implementation status (no_information where no follow-up was recorded)',
	status_month: 'Month of the latest status',
	implemented_month: 'Month the recommendation was first reported implemented, else NULL',
	event_month: 'Month of the follow-up event'
};

const TABLE_TITLES: Record<ReleasedTable, string> = {
	regions: 'First-level administrative units (17 regions, 3 cities)',
	region_year: 'Residents and people held per region and year',
	facilities: 'Places of detention (pseudonymised)',
	visits: 'Monitoring visits by the NPM and Public Monitoring Commissions',
	findings: 'Condition indicators recorded per visit',
	allegations: 'Allegations of torture and ill-treatment (k-anonymised)',
	recommendations: 'Recommendations and their latest status',
	recommendation_events: 'Follow-up events of recommendations'
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
	keyOrigin: string;
	inputRows: Record<string, number>;
}

export async function publish({ conn, staging, synthetic, disclosure, withheld, keyOrigin, inputRows }: PublishInput): Promise<Record<string, number>> {
	const codes = loadCodes();
	const resources = [];
	const rowCounts: Record<string, number> = {};
	for (const table of RELEASED_TABLES) {
		const path = await writeParquet(conn, table, staging);
		const rows = Number(await queryValue(conn, `SELECT count(*) FROM rel_${table}`));
		rowCounts[table] = rows;
		const columns = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE rel_${table}`);
		resources.push({
			name: table,
			title: TABLE_TITLES[table],
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
					const field: Record<string, unknown> = { name: c.column_name, type: FRICTIONLESS_TYPE[c.column_type] ?? 'any', description: DESCRIPTIONS[c.column_name] ?? '' };
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
		version: '1.0.0',
		created,
		synthetic,
		licenses: [{ name: 'CC-BY-4.0', title: 'Creative Commons Attribution 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' }],
		sources: [...(synthetic ? [{ title: 'Synthetic demonstration data generated by scripts/generate (not real records)', synthetic: true }] : []), ...ANCHOR_SOURCES],
		anonymisation: { k: disclosure.k, l: disclosure.l, report: 'disclosure-report.md', details: 'disclosure.json' },
		resources
	};
	writeFileSync(join(staging, 'datapackage.json'), JSON.stringify(pkg, null, 2) + '\n');
	const disclosureJson = { created, synthetic, key: { origin: keyOrigin.startsWith('environment') ? keyOrigin : 'file outside the output folder' }, input_rows: inputRows, released_rows: rowCounts, allegations: disclosure, visits: withheld };
	writeFileSync(join(staging, 'disclosure.json'), JSON.stringify(disclosureJson, null, 2) + '\n');
	writeFileSync(join(staging, 'disclosure-report.md'), renderDisclosureReport(disclosure, withheld, inputRows, rowCounts, synthetic, created));
	return rowCounts;
}
