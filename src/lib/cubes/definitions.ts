/**
 * The dashboard's rollups ("cubes"): pre-aggregated tables derived only from the released
 * microdata, one per theme, over exactly the dimensions its views group and filter by.
 *
 * Every dimension is stored as a small integer code (0 = NULL, i.e. withheld by the anonymiser or
 * not applicable; 1..k = the dictionary's values in sorted order), every measure as a DOUBLE. The
 * dictionaries are in rollups/manifest.json. Dimension names are the view state's filter keys
 * (region, ftype, auth, ...) wherever a filter applies, so the filter registry can map a state to a
 * cube without a second table of names.
 *
 * The SQL here runs in the rollup step (scripts/rollups, DuckDB 1.5) over views named like the
 * released tables. It is plain SQL that DuckDB 0.9 (the browser's engine) runs too.
 */

/** Narrow allegation rollups: the filter bar's dimensions plus one dimension a chart groups by. */
export const ALLEGATION_NARROW = ['allegations_base', 'allegations_by_perp', 'allegations_by_channel', 'allegations_by_quarter', 'allegations_by_outcome', 'allegations_by_type'] as const;

export type CubeName = (typeof ALLEGATION_NARROW)[number] | 'allegations' | 'visits' | 'findings' | 'finding_values' | 'recommendations' | 'region_year';

export interface CubeDefinition {
	name: CubeName;
	/** Released tables read (for the manifest and the docs). */
	reads: string[];
	/** Dimension -> SQL expression over the source. */
	dims: Record<string, string>;
	/** Measure -> SQL aggregate over the source. */
	measures: Record<string, string>;
	/** FROM clause (a released table, or a join of two). */
	from: string;
	where?: string;
	/** Sort order of the written rows: the filter dimensions analysts use most, first. */
	order: string[];
}

/** Months between two 1st-of-month dates, exact. */
const MONTHS = (from: string, to: string) => `((year(${to}) * 12 + month(${to})) - (year(${from}) * 12 + month(${from})))`;

/** The data's last status month (recommendations), the cut-off for durations and ages. */
export const CUTOFF_SQL = `(SELECT max(status_month) FROM recommendations)`;

/**
 * Indicators whose values (not only the verdict) the Conditions page draws. Occupancy is not one:
 * the release publishes only its verdict (docs/data-pipeline.md, section 5).
 */
export const VALUE_INDICATORS = ['living_space_m2'] as const;

const ALLEGATION_DIMS = {
	year: 'report_year',
	quarter: 'report_quarter',
	region: 'region_code',
	ftype: 'facility_type',
	auth: 'authority',
	atype: 'allegation_type',
	perp: 'perpetrator',
	channel: 'channel',
	outcome: 'outcome'
} as const;

/**
 * Why narrow rollups: at 10 million allegations the full rollup has 1.47 million rows (a scan of it
 * in JavaScript takes 100-300 ms), while the filter bar's four dimensions plus one more give 2-20
 * thousand (well under a millisecond). Each chart reads the smallest rollup that has every
 * dimension it groups by and every filter that is set; the full one only when several of the
 * allegation-specific filters (type, perpetrator, channel) are combined with another chart's.
 */
function narrowAllegations(name: CubeName, extra: (keyof typeof ALLEGATION_DIMS)[]): CubeDefinition {
	const dims: Record<string, string> = { year: ALLEGATION_DIMS.year, region: ALLEGATION_DIMS.region, ftype: ALLEGATION_DIMS.ftype, auth: ALLEGATION_DIMS.auth };
	for (const d of extra) dims[d] = ALLEGATION_DIMS[d];
	return { name, reads: ['allegations'], from: 'allegations', dims, measures: { n: 'count(*)' }, order: Object.keys(dims) };
}

/** A finding's authority is its visit's facility's (findings carry no authority column). */
const FINDINGS_FROM = 'findings f LEFT JOIN visits v ON v.visit_id = f.visit_id';
const FINDING_DIMS = { year: 'year(f.visit_month)', region: 'f.region_code', ftype: 'f.facility_type', auth: 'v.authority', ind: 'f.indicator' };

export const CUBES: Record<CubeName, CubeDefinition> = {
	allegations_base: narrowAllegations('allegations_base', []),
	allegations_by_perp: narrowAllegations('allegations_by_perp', ['perp']),
	allegations_by_channel: narrowAllegations('allegations_by_channel', ['channel']),
	allegations_by_quarter: narrowAllegations('allegations_by_quarter', ['quarter']),
	allegations_by_outcome: narrowAllegations('allegations_by_outcome', ['outcome']),
	allegations_by_type: narrowAllegations('allegations_by_type', ['atype']),
	allegations: {
		name: 'allegations',
		reads: ['allegations'],
		from: 'allegations',
		dims: { ...ALLEGATION_DIMS },
		measures: { n: 'count(*)' },
		order: ['year', 'region', 'ftype', 'quarter', 'auth', 'atype', 'perp', 'channel', 'outcome']
	},
	visits: {
		name: 'visits',
		reads: ['visits'],
		from: 'visits',
		dims: { year: 'year(visit_month)', region: 'region_code', ftype: 'facility_type', auth: 'authority' },
		measures: { n: 'count(*)' },
		order: ['year', 'region', 'ftype', 'auth']
	},
	findings: {
		name: 'findings',
		reads: ['findings', 'visits'],
		from: FINDINGS_FROM,
		dims: { ...FINDING_DIMS, meets: 'f.meets_standard::INTEGER' },
		measures: { n: 'count(*)' },
		order: ['year', 'region', 'ftype', 'auth', 'ind', 'meets']
	},
	finding_values: {
		name: 'finding_values',
		reads: ['findings', 'visits'],
		from: FINDINGS_FROM,
		where: `f.indicator IN (${VALUE_INDICATORS.map((i) => `'${i}'`).join(', ')}) AND f.value IS NOT NULL`,
		dims: { ...FINDING_DIMS, value: 'f.value' },
		measures: { n: 'count(*)' },
		order: ['year', 'region', 'ftype', 'auth', 'ind', 'value']
	},
	recommendations: {
		// months: issue to implementation, or to the cut-off when not implemented (the survival
		// curve's duration, and the age of an open recommendation).
		name: 'recommendations',
		reads: ['recommendations'],
		from: 'recommendations',
		dims: {
			year: 'year(issued_month)',
			region: 'region_code',
			ftype: 'facility_type',
			theme: 'theme',
			addr: 'addressee',
			prio: 'priority',
			status: 'status',
			months: `${MONTHS('issued_month', `coalesce(implemented_month, ${CUTOFF_SQL})`)}`,
			event: '(implemented_month IS NOT NULL)::INTEGER'
		},
		measures: { n: 'count(*)' },
		order: ['year', 'region', 'ftype', 'addr', 'theme', 'prio', 'status', 'months', 'event']
	},
	region_year: {
		name: 'region_year',
		reads: ['region_year'],
		from: 'region_year',
		dims: { year: '"year"', region: 'region_code' },
		measures: {
			residents: 'sum(residents)',
			detainees: 'sum(detainees)',
			n_residents: 'count(residents)',
			n_detainees: 'count(detainees)'
		},
		order: ['year', 'region']
	}
};

export const CUBE_NAMES = Object.keys(CUBES) as CubeName[];

/** The grouped (not yet coded) rows of a cube, as SQL over the released tables. */
export function cubeSql(def: CubeDefinition): string {
	const dims = Object.entries(def.dims).map(([name, expr]) => `${expr} AS "${name}"`);
	const measures = Object.entries(def.measures).map(([name, expr]) => `(${expr})::DOUBLE AS "${name}"`);
	const groups = Object.keys(def.dims).map((_, i) => String(i + 1));
	return `SELECT ${[...dims, ...measures].join(', ')} FROM ${def.from}${def.where ? ` WHERE ${def.where}` : ''} GROUP BY ${groups.join(', ')}`;
}

/** One dictionary value: what a code stands for (null = withheld / not applicable). */
export type DimValue = string | number | null;

export interface CubeManifestEntry {
	/** The rollup as Parquet (read by DuckDB: the build, the tests, anyone's SQL). */
	file: string;
	rows: number;
	bytes: number;
	/** The same rows as an Arrow IPC file, written from DuckDB's reading of `file`: what the browser slices. */
	arrow: { file: string; bytes: number };
	/** Dimension -> its dictionary; code i stands for dims[name][i]; index 0 is always null. */
	dims: Record<string, DimValue[]>;
	measures: string[];
}

export interface RollupManifest {
	/** sha256 of the datapackage.json the rollups were derived from (stale rollups are rebuilt). */
	source: string;
	/** The recommendations' cut-off month, 'yyyy-mm-dd' (null without recommendations). */
	lastMonth: string | null;
	cubes: Partial<Record<CubeName, CubeManifestEntry>>;
}

export const ROLLUP_DIR = 'rollups';
export const MANIFEST_FILE = 'manifest.json';
