/**
 * Builds the released tables of docs/data-pipeline.md (section 4) from the validated input, in DuckDB. Direct
 * identifiers are not selected (they are not even in the intermediate files); codes become keyed
 * pseudonyms; dates become months (visits, recommendations) or year + quarter (allegations, then
 * generalised by anonymise.ts); capacity becomes a band, and figures computed from it are published only
 * as a verdict (CAPACITY_INDICATORS). Every column is cast to its contract type.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadRegions } from '../lib/reference.ts';
import { dropRelation, lit, queryRows } from './db.ts';

const CAPACITY_BAND = `CASE WHEN capacity < 50 THEN 'under_50' WHEN capacity < 200 THEN '50_199' WHEN capacity < 500 THEN '200_499' WHEN capacity < 1000 THEN '500_999' ELSE '1000_plus' END`;
const MONTH = (col: string) => `date_trunc('month', ${col})::DATE`;

export const RELEASED_TABLES = ['regions', 'region_year', 'facilities', 'visits', 'findings', 'allegations', 'recommendations', 'recommendation_events'] as const;
export type ReleasedTable = (typeof RELEASED_TABLES)[number];

/** What release.ts withholds beyond what docs/data-pipeline.md names, for the disclosure report. */
export interface ReleaseDisclosure {
	/** Visits whose detainees_present was withheld (NULL) to keep capacity in its band, of all visits. */
	detainees_present_withheld: number;
	visits: number;
	/** Visits whose detainees_present was already missing in the input. */
	detainees_present_missing: number;
	/** Findings of a capacity indicator (occupancy) whose value was withheld; only meets_standard is published. */
	capacity_values_withheld: number;
}

/**
 * Capacity-dependent indicators: their value is computed from the facility's capacity, so it must not
 * let capacity be narrowed inside its band (docs/data-pipeline.md, section 5, "Hidden values stay
 * hidden").
 *
 * - The value itself is withheld (NULL); only meets_standard (present <= capacity) is published.
 *   An occupancy rate is p / C for a whole head count p, so a rate to two decimals rules out every
 *   capacity C for which no whole p gives that rate (for a facility of 40 places, 0.91 is impossible:
 *   36/40 = 0.90 and 37/40 = 0.925); a few visits pin C. Coarser classes do not fix this in general:
 *   a bounded class above capacity such as 100-120% rules out every C < 5, and any class of width w
 *   not containing 1.0 rules out the C below about 1/w. A yes/no verdict does not: "within capacity"
 *   is reached by any C (p = 0) and "over capacity" by any C (p = C + 1), whatever threshold the
 *   monitors applied, so every capacity in the band stays consistent with every verdict.
 * - The head count of every visit to a facility with such a finding is withheld as well: a head count
 *   with the verdict bounds capacity (present <= capacity, or present > capacity).
 */
export const CAPACITY_INDICATORS = ['occupancy_rate'] as const;

/**
 * @param allegationSalt makes allegation ids depend on this release's input (see index.ts): the same
 * input and key give the same ids, but two releases from different inputs cannot be joined row by row,
 * so a value suppressed in one release cannot be read from the other.
 */
export async function buildReleaseTables(conn: DuckDBConnection, allegationSalt: string): Promise<ReleaseDisclosure> {
	const regions = loadRegions()
		.map((r) => `(${[r.region_code, r.name_en, r.name_ru, r.name_kk, r.kind].map(lit).join(', ')}, ${r.predecessor ? lit(r.predecessor) : 'NULL'})`)
		.join(',\n');
	await conn.run(`CREATE OR REPLACE TABLE rel_regions AS SELECT col0::VARCHAR AS region_code, col1::VARCHAR AS name_en, col2::VARCHAR AS name_ru, col3::VARCHAR AS name_kk, col4::VARCHAR AS kind, col5::VARCHAR AS predecessor FROM (VALUES ${regions}) ORDER BY region_code`);

	await conn.run(`CREATE OR REPLACE TABLE rel_region_year AS
		SELECT region_code::VARCHAR AS region_code, year::INTEGER AS year, residents::BIGINT AS residents, detainees::INTEGER AS detainees
		FROM in_population ORDER BY region_code, year`);

	// Facility codes are replaced by pseudonyms here and never leave this table.
	await conn.run(`CREATE OR REPLACE TABLE fac AS
		SELECT facility_code, pseudo('F-', 'facility', facility_code)::VARCHAR AS facility_id, region_code, facility_type, authority,
		       NULLIF(security_level, '') AS security_level, ${CAPACITY_BAND} AS capacity_band
		FROM in_facilities`);
	await conn.run(`CREATE OR REPLACE TABLE rel_facilities AS
		SELECT facility_id::VARCHAR AS facility_id, region_code::VARCHAR AS region_code, facility_type::VARCHAR AS facility_type, authority::VARCHAR AS authority,
		       security_level::VARCHAR AS security_level, capacity_band::VARCHAR AS capacity_band
		FROM fac ORDER BY region_code, facility_type, facility_id`);

	await conn.run(`CREATE OR REPLACE TABLE vis AS
		SELECT v.visit_code, pseudo('V-', 'visit', v.visit_code)::VARCHAR AS visit_id, f.facility_id, f.region_code, f.facility_type, f.authority,
		       ${MONTH('v.visit_date')} AS visit_month, v.visit_type, v.body, v.team_size, v.detainees_present
		FROM in_visits v JOIN fac f USING (facility_code)`);
	const capacityIndicators = CAPACITY_INDICATORS.map(lit).join(', ');
	await conn.run(`CREATE OR REPLACE TABLE capacity_linked AS
		SELECT DISTINCT v.facility_id FROM in_findings x JOIN vis v USING (visit_code)
		WHERE x.indicator IN (${capacityIndicators}) AND (x.value IS NOT NULL OR x.meets_standard IS NOT NULL)`);
	const [withheld] = await queryRows<{ withheld: bigint; missing: bigint; visits: bigint }>(conn, `SELECT count(*) FILTER (WHERE v.detainees_present IS NOT NULL AND c.facility_id IS NOT NULL) AS withheld,
		count(*) FILTER (WHERE v.detainees_present IS NULL) AS missing, count(*) AS visits
		FROM vis v LEFT JOIN capacity_linked c USING (facility_id)`);
	await conn.run(`UPDATE vis SET detainees_present = NULL WHERE facility_id IN (SELECT facility_id FROM capacity_linked)`);
	await conn.run(`CREATE OR REPLACE TABLE rel_visits AS
		SELECT visit_id::VARCHAR AS visit_id, facility_id::VARCHAR AS facility_id, region_code::VARCHAR AS region_code, facility_type::VARCHAR AS facility_type,
		       authority::VARCHAR AS authority, visit_month::DATE AS visit_month, visit_type::VARCHAR AS visit_type, body::VARCHAR AS body,
		       team_size::INTEGER AS team_size, detainees_present::INTEGER AS detainees_present
		FROM vis ORDER BY visit_month, region_code, visit_id`);

	const [capacityValues] = await queryRows<{ n: bigint }>(conn, `SELECT count(*) AS n FROM in_findings WHERE indicator IN (${capacityIndicators}) AND value IS NOT NULL`);
	await conn.run(`CREATE OR REPLACE TABLE rel_findings AS
		SELECT v.visit_id::VARCHAR AS visit_id, v.facility_id::VARCHAR AS facility_id, v.region_code::VARCHAR AS region_code, v.facility_type::VARCHAR AS facility_type,
		       v.visit_month::DATE AS visit_month, x.indicator::VARCHAR AS indicator,
		       (CASE WHEN x.indicator IN (${capacityIndicators}) THEN NULL ELSE x.value END)::DOUBLE AS value, x.meets_standard::BOOLEAN AS meets_standard
		FROM in_findings x JOIN vis v USING (visit_code) ORDER BY v.visit_month, v.visit_id, x.indicator`);

	// Latest status of each recommendation (ties on the same day: the later line in the file wins).
	await conn.run(`CREATE OR REPLACE TABLE rec_status AS
		SELECT recommendation_code,
		       arg_max(status, update_date::VARCHAR || lpad(_line::VARCHAR, 12, '0')) AS status,
		       max(update_date) AS status_date,
		       min(update_date) FILTER (WHERE status = 'implemented') AS implemented_date
		FROM in_recommendation_updates GROUP BY recommendation_code`);
	// A recommendation with no update has had no answer: status no_information (UN grade D) as of issue.
	await conn.run(`CREATE OR REPLACE TABLE rel_recommendations AS
		SELECT pseudo('R-', 'recommendation', r.recommendation_code)::VARCHAR AS recommendation_id, v.visit_id::VARCHAR AS visit_id,
		       v.facility_id::VARCHAR AS facility_id, v.region_code::VARCHAR AS region_code, v.facility_type::VARCHAR AS facility_type,
		       ${MONTH('r.issued_date')} AS issued_month, r.theme::VARCHAR AS theme, r.addressee::VARCHAR AS addressee, r.priority::VARCHAR AS priority,
		       coalesce(s.status, 'no_information')::VARCHAR AS status,
		       ${MONTH('coalesce(s.status_date, r.issued_date)')} AS status_month,
		       ${MONTH('s.implemented_date')} AS implemented_month
		FROM in_recommendations r JOIN vis v USING (visit_code) LEFT JOIN rec_status s USING (recommendation_code)
		ORDER BY issued_month, region_code, recommendation_id`);
	await conn.run(`CREATE OR REPLACE TABLE rel_recommendation_events AS
		SELECT pseudo('R-', 'recommendation', recommendation_code)::VARCHAR AS recommendation_id, ${MONTH('update_date')} AS event_month, status::VARCHAR AS status
		FROM in_recommendation_updates ORDER BY recommendation_id, event_month, status`);

	// Allegations before anonymisation: report date -> year and quarter; the case code -> pseudonym.
	// alg_rows holds the rows once, compact (codes as ENUMs, rid = the row's position in the input);
	// the validated input table is then dropped (it is not read again), which leaves DuckDB's memory
	// to the steps that follow. alg is a view adding the pseudonym: two SHA-256 per row, the costliest
	// expression of the release, computed only where it is read, i.e. once, when the released table
	// is written (anonymise.ts); the anonymiser reads only the other columns. The case code stays
	// internal (successive releases recompute earlier ids from it: revisions.ts); it is never released.
	await dropRelation(conn, 'alg');
	await conn.run(`CREATE OR REPLACE TABLE alg_rows AS
		SELECT a._line AS rid, year(a.report_date)::INTEGER AS report_year, quarter(a.report_date)::INTEGER AS report_quarter,
		       f.region_code, f.facility_type, f.authority, a.channel, a.allegation_type, a.perpetrator, a.victim_sex, a.victim_age_band, a.outcome,
		       a.case_code
		FROM in_allegations a JOIN fac f USING (facility_code)`);
	await conn.run('DROP VIEW in_allegations; DROP TABLE c_allegations');
	await conn.run(`CREATE VIEW alg AS
		SELECT rid, pseudo_a(${lit(allegationSalt)}, case_code)::VARCHAR AS allegation_id, * EXCLUDE (rid)
		FROM alg_rows`);
	return {
		detainees_present_withheld: Number(withheld.withheld),
		detainees_present_missing: Number(withheld.missing),
		visits: Number(withheld.visits),
		capacity_values_withheld: Number(capacityValues.n)
	};
}
