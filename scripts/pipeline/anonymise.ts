/**
 * k-anonymity and distinct l-diversity for the allegations table (docs/data-pipeline.md, section 5).
 *
 * Quasi-identifiers (QI): region_code, facility_type, report_year, report_quarter, victim_sex,
 * victim_age_band. An equivalence class is the set of rows sharing all six values, NULL counting as a
 * value of its own. A class is safe when it has >= k rows and >= l distinct allegation types.
 *
 * Rows of unsafe classes are changed, cheapest change first, and only those rows (local recoding,
 * as sdcMicro's localSuppression): safe classes are never touched, so they stay safe.
 *  1. generalise: quarter -> year (report_quarter NULL);
 *  2. generalise: age bands merged (18_24 + 25_34 -> 18_34, 35_49 + 50_plus -> 35_plus), then -> 18_plus;
 *  3. suppress: set one QI to NULL where that makes the row's new class safe, trying the QIs in order
 *     of least analytical value lost (age band, sex, facility type, region, year); if no single QI
 *     helps, the cheapest remaining QI is suppressed and the search repeats. Region and year are
 *     used only for rows that age band, sex and facility type cannot make safe;
 *  4. rows still unsafe with every QI NULL are removed (record suppression), and counted.
 * Facility type is implied by authority (education -> juvenile centre, ...) and by perpetrator
 * (military -> guardhouse, ...), so suppressing facility_type also blanks both (proxies.ts, applied in
 * buildReleasedAllegations); suppressing the year also blanks the quarter.
 *
 * Rows with the same quasi-identifiers and allegation type are always treated alike, so the work is
 * done on their frequency table (`agg`, one row per combination with its count `cnt`) and mapped
 * back to the rows at the end: identical result, and fast at 10 million rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { dropRelation, queryRows, queryValue } from './db.ts';
import { blankedAttributeSql, blankedConditionSql, findProxies, proxyReport, PROXY_ATTRIBUTES, type ProxyAttribute, type ProxyReport } from './proxies.ts';

export const QUASI_IDENTIFIERS = ['region_code', 'facility_type', 'report_year', 'report_quarter', 'victim_sex', 'victim_age_band'] as const;
type Qi = (typeof QUASI_IDENTIFIERS)[number];

/** Order in which QIs are suppressed: the first loses the least for the dashboard's analyses. */
const SUPPRESSION_ORDER: Qi[] = ['victim_age_band', 'victim_sex', 'facility_type', 'region_code', 'report_year'];

export interface DisclosureStats {
	k: number;
	l: number;
	quasi_identifiers: string[];
	sensitive_attribute: string;
	rows_in: number;
	rows_out: number;
	rows_suppressed: number;
	generalised: { report_quarter_to_year: number; age_band_merged: number; age_band_to_adult: number };
	suppressed_values: Record<string, number>;
	equivalence_classes: number;
	smallest_class_size: number;
	smallest_class_distinct_types: number;
	average_class_size: number;
	information_loss: { share_of_qi_values_changed: number; weighted_loss: number; discernibility_per_row: number; definition: string };
	steps: string[];
}

const qiList = QUASI_IDENTIFIERS.join(', ');

/** Recompute class size n and distinct sensitive values d for every row. */
async function classify(conn: DuckDBConnection): Promise<void> {
	await conn.run(`CREATE OR REPLACE TABLE agg AS
		SELECT * EXCLUDE (n, d), sum(cnt) OVER w AS n, count(DISTINCT allegation_type) OVER w AS d
		FROM agg WINDOW w AS (PARTITION BY ${qiList})`);
}

/** Number of allegation rows (not combinations) in unsafe classes. */
async function countUnsafe(conn: DuckDBConnection, k: number, l: number): Promise<number> {
	return Number(await queryValue(conn, `SELECT coalesce(sum(cnt), 0) FROM agg WHERE n < ${k} OR d < ${l}`));
}

const unsafe = (k: number, l: number) => `(n < ${k} OR d < ${l})`;

/** SET clause for suppressing a QI, with the values it implies. */
function suppressSet(q: Qi): string {
	const sets = [`${q} = NULL`, `sup_${q} = true`];
	// (authority and perpetrator are blanked with facility_type when rows are mapped back: see buildReleasedAllegations)
	if (q === 'report_year') sets.push('report_quarter = NULL');
	return sets.join(', ');
}

/**
 * Suppress q in unsafe rows whose new class (all rows already NULL in q plus the unsafe rows, grouped
 * by the other QIs) would be safe. Returns how many rows were rescued.
 */
async function rescueBySuppressing(conn: DuckDBConnection, q: Qi, k: number, l: number): Promise<number> {
	const others = QUASI_IDENTIFIERS.filter((x) => x !== q).join(', ');
	await conn.run(`CREATE OR REPLACE TEMP TABLE rescue AS
		SELECT gid, cnt FROM (
			SELECT gid, cnt, ${unsafe(k, l)} AS is_unsafe, ${q} IS NOT NULL AS has_q,
			       sum(cnt) OVER g AS gn, count(DISTINCT allegation_type) OVER g AS gd
			FROM agg WHERE ${unsafe(k, l)} OR ${q} IS NULL
			WINDOW g AS (PARTITION BY ${others})
		) WHERE is_unsafe AND has_q AND gn >= ${k} AND gd >= ${l}`);
	const rescued = Number(await queryValue(conn, 'SELECT coalesce(sum(cnt), 0) FROM rescue'));
	if (rescued > 0) {
		await conn.run(`UPDATE agg SET ${suppressSet(q)} WHERE gid IN (SELECT gid FROM rescue)`);
		await classify(conn);
	}
	return rescued;
}

export async function anonymiseAllegations(conn: DuckDBConnection, k: number, l: number): Promise<DisclosureStats> {
	const steps: string[] = [];
	const rowsIn = Number(await queryValue(conn, 'SELECT count(*) FROM alg'));
	// Frequency table: one row per combination of quasi-identifiers and allegation type.
	await conn.run(`CREATE OR REPLACE TABLE agg AS
		SELECT row_number() OVER (ORDER BY ${qiList}, allegation_type) AS gid, ${qiList}, allegation_type, count(*) AS cnt,
		       0::BIGINT AS n, 0::BIGINT AS d, false AS gen_quarter, false AS gen_age, false AS gen_adult,
		       ${QUASI_IDENTIFIERS.map((q) => `false AS sup_${q}`).join(', ')}
		FROM alg GROUP BY ${qiList}, allegation_type`);
	// Remember each combination's original values, to map the decisions back to the rows at the end
	// (a small table: the rows themselves are not copied).
	await conn.run(`CREATE OR REPLACE TABLE agg_key AS SELECT ${qiList}, allegation_type, gid FROM agg`);
	await classify(conn);
	steps.push(`start: ${rowsIn} rows, ${await countUnsafe(conn, k, l)} in classes under k=${k} or with fewer than l=${l} allegation types`);

	// 1. Quarter -> year for unsafe rows.
	await conn.run(`UPDATE agg SET report_quarter = NULL, gen_quarter = true WHERE ${unsafe(k, l)} AND report_quarter IS NOT NULL`);
	await classify(conn);
	steps.push(`quarter generalised to year: ${await countUnsafe(conn, k, l)} rows still unsafe`);

	// 2. Age bands merged, then all adult bands together.
	await conn.run(`UPDATE agg SET victim_age_band = CASE WHEN victim_age_band IN ('18_24', '25_34') THEN '18_34' ELSE '35_plus' END, gen_age = true
		WHERE ${unsafe(k, l)} AND victim_age_band IN ('18_24', '25_34', '35_49', '50_plus')`);
	await classify(conn);
	steps.push(`age bands merged (18_34, 35_plus): ${await countUnsafe(conn, k, l)} rows still unsafe`);
	await conn.run(`UPDATE agg SET victim_age_band = '18_plus', gen_adult = true WHERE ${unsafe(k, l)} AND victim_age_band IN ('18_34', '35_plus')`);
	await classify(conn);
	steps.push(`adult age bands merged (18_plus): ${await countUnsafe(conn, k, l)} rows still unsafe`);

	// 3. Local suppression, in phases: first only the attributes the dashboard needs least (age band,
	// sex, facility type); region, then year, join only for rows those cannot make safe. In each
	// round, rows are rescued by one suppression where possible; when none helps, the cheapest
	// attribute still set in each unsafe row is blanked and the rescue is tried again.
	const phases: Qi[][] = [SUPPRESSION_ORDER.slice(0, 3), SUPPRESSION_ORDER.slice(0, 4), SUPPRESSION_ORDER];
	let round = 0;
	for (const candidates of phases) {
		while (round < 100 && (await countUnsafe(conn, k, l)) > 0) {
			round++;
			let rescued = 0;
			for (const q of candidates) rescued += await rescueBySuppressing(conn, q, k, l);
			if (rescued > 0) {
				steps.push(`suppression round ${round}: ${rescued} rows made safe by one suppressed value (${candidates.join(', ')})`);
				continue;
			}
			const pick = `CASE ${candidates.map((q) => `WHEN ${q} IS NOT NULL THEN '${q}'`).join(' ')} END`;
			await conn.run(`CREATE OR REPLACE TEMP TABLE forced AS SELECT gid, cnt, ${pick} AS q FROM agg WHERE ${unsafe(k, l)}`);
			const forced = Number(await queryValue(conn, 'SELECT coalesce(sum(cnt), 0) FROM forced WHERE q IS NOT NULL'));
			if (forced === 0) {
				round--; // nothing done in this round: every candidate is blank in the unsafe rows; next phase
				break;
			}
			for (const q of candidates) await conn.run(`UPDATE agg SET ${suppressSet(q)} WHERE gid IN (SELECT gid FROM forced WHERE q = '${q}')`);
			await classify(conn);
			steps.push(`suppression round ${round}: no single suppression helped; ${forced} values suppressed to widen classes (${candidates.join(', ')})`);
		}
	}

	// 4. Whatever is still unsafe cannot be published.
	const dropped = await countUnsafe(conn, k, l);
	if (dropped > 0) {
		await conn.run(`DELETE FROM agg WHERE ${unsafe(k, l)}`);
		await classify(conn);
		steps.push(`${dropped} rows removed (no combination of suppressions made them safe)`);
	}

	const stats = (
		await queryRows<Record<string, number | bigint | null>>(
			conn,
			`SELECT sum(cnt) AS rows_out,
			        sum(cnt) FILTER (WHERE gen_quarter AND NOT sup_report_year) AS gq,
			        sum(cnt) FILTER (WHERE gen_age AND NOT sup_victim_age_band) AS ga,
			        sum(cnt) FILTER (WHERE gen_adult AND NOT sup_victim_age_band) AS gad,
			        ${QUASI_IDENTIFIERS.map((q) => `sum(cnt) FILTER (WHERE sup_${q}) AS s_${q}`).join(', ')},
			        min(n) AS min_n, min(d) AS min_d,
			        (SELECT count(*) FROM (SELECT DISTINCT ${qiList} FROM agg)) AS classes,
			        sum(n * cnt) AS disc
			 FROM agg`
		)
	)[0];
	const num = (v: unknown) => Number(v ?? 0);
	const rowsOut = num(stats.rows_out);
	const suppressed: Record<string, number> = {};
	for (const q of QUASI_IDENTIFIERS) suppressed[q] = num(stats[`s_${q}`]);
	const generalisedCount = num(stats.gq) + num(stats.ga) + num(stats.gad);
	const suppressedCount = Object.values(suppressed).reduce((a, b) => a + b, 0);
	const cells = Math.max(1, rowsIn * QUASI_IDENTIFIERS.length);
	const changed = generalisedCount + suppressedCount + dropped * QUASI_IDENTIFIERS.length;
	return {
		k,
		l,
		quasi_identifiers: [...QUASI_IDENTIFIERS],
		sensitive_attribute: 'allegation_type',
		rows_in: rowsIn,
		rows_out: rowsOut,
		rows_suppressed: dropped,
		generalised: { report_quarter_to_year: num(stats.gq), age_band_merged: num(stats.ga), age_band_to_adult: num(stats.gad) },
		suppressed_values: suppressed,
		equivalence_classes: num(stats.classes),
		smallest_class_size: num(stats.min_n),
		smallest_class_distinct_types: num(stats.min_d),
		average_class_size: rowsOut / Math.max(1, num(stats.classes)),
		information_loss: {
			share_of_qi_values_changed: changed / cells,
			weighted_loss: (0.5 * generalisedCount + suppressedCount + dropped * QUASI_IDENTIFIERS.length) / cells,
			discernibility_per_row: num(stats.disc) / Math.max(1, rowsOut),
			definition:
				'share_of_qi_values_changed = (generalised + suppressed QI values + 6 x removed rows) / (6 x input rows); weighted_loss counts a generalisation as half a suppression; discernibility_per_row = mean equivalence-class size seen by a row (sum of class sizes squared / rows)'
		},
		steps
	};
}

/** Attach each row of `alg` to its combination (gid) as a table (successive releases add rows with their own gid). */
export async function attachGroups(conn: DuckDBConnection): Promise<void> {
	await conn.run(`CREATE OR REPLACE TABLE alg_g AS SELECT a.*, k.gid FROM alg a JOIN agg_key k USING (${qiList}, allegation_type)`);
	await dropRelation(conn, 'alg');
	await conn.run('ALTER TABLE alg_g RENAME TO alg');
}

/** FROM clause of the allegation rows (a) with their combination's decisions (g). */
async function groupedRowsSql(conn: DuckDBConnection): Promise<string> {
	const cols = await queryRows<{ column_name: string }>(conn, 'DESCRIBE alg');
	return cols.some((c) => c.column_name === 'gid') ? 'alg a JOIN agg g USING (gid)' : `alg a JOIN agg_key k USING (${qiList}, allegation_type) JOIN agg g USING (gid)`;
}

/**
 * The released allegations table, typed as docs/data-pipeline.md (section 4) says, in an order that
 * reveals nothing. Attributes that stand in for a suppressed quasi-identifier are blanked where it was
 * suppressed (proxies.ts): the authority and the perpetrator with the facility type, and whatever else
 * is measured to predict a QI in this input.
 *
 * By default rel_allegations is a view: the rows are computed, sorted and cast to text once, as
 * publish.ts writes them to Parquet. The sort runs on the codes (ENUMs, one byte each, whose members
 * are in text order: validate.ts) and the integers, so it orders exactly as the text would.
 * `materialise` makes it a table (successive releases change it afterwards: revisions.ts).
 *
 * @param protectProxies false only in tests, to show the attack that the blanking stops (never for a release)
 */
export async function buildReleasedAllegations(
	conn: DuckDBConnection,
	{ protectProxies = true, materialise = false }: { protectProxies?: boolean; materialise?: boolean } = {}
): Promise<ProxyReport> {
	const rules = protectProxies ? await findProxies(conn) : [];
	const attr = (a: ProxyAttribute) => `${blankedAttributeSql(a, rules)} AS ${a}`;
	const from = await groupedRowsSql(conn);
	// Ordered by the released values and then the pseudonym: input order (by report date) would leak
	// the generalised dates.
	const sql = `SELECT allegation_id::VARCHAR AS allegation_id, report_year::INTEGER AS report_year, report_quarter::INTEGER AS report_quarter,
		       region_code::VARCHAR AS region_code, facility_type::VARCHAR AS facility_type, authority::VARCHAR AS authority,
		       channel::VARCHAR AS channel, allegation_type::VARCHAR AS allegation_type, perpetrator::VARCHAR AS perpetrator,
		       victim_sex::VARCHAR AS victim_sex, victim_age_band::VARCHAR AS victim_age_band, outcome::VARCHAR AS outcome
		FROM (
			SELECT a.allegation_id, g.report_year, g.report_quarter, g.region_code, g.facility_type,
			       ${attr('authority')}, ${attr('channel')}, a.allegation_type, ${attr('perpetrator')}, g.victim_sex, g.victim_age_band, ${attr('outcome')}
			FROM ${from}
			ORDER BY g.report_year NULLS LAST, g.report_quarter NULLS LAST, g.region_code NULLS LAST, g.facility_type NULLS LAST, a.allegation_id
		)`;
	await dropRelation(conn, 'rel_allegations');
	if (materialise) {
		await conn.run(`CREATE TABLE rel_allegations AS ${sql}`);
		return proxyReport(conn, rules);
	}
	await conn.run(`CREATE VIEW rel_allegations AS ${sql}`);
	// The blanked values (NULLs of rel_allegations) counted without computing the rows: each released
	// row is one of its combination's cnt rows, so where no input value is missing (the usual case:
	// the attributes are required) a value is NULL exactly where the combination's flags blank it.
	const nullsIn = await queryRows<Record<string, bigint>>(conn, `SELECT ${PROXY_ATTRIBUTES.map((a) => `count(*) FILTER (WHERE ${a} IS NULL) AS ${a}`).join(', ')} FROM alg_rows`);
	if (PROXY_ATTRIBUTES.some((a) => Number(nullsIn[0][a]) > 0)) {
		const blanked = (a: ProxyAttribute) => `(${blankedAttributeSql(a, rules)})::VARCHAR AS ${a}`;
		return proxyReport(conn, rules, `(SELECT ${PROXY_ATTRIBUTES.map(blanked).join(', ')} FROM ${from})`);
	}
	return proxyReport(conn, rules, 'agg g', (a) => `sum(cnt) FILTER (WHERE ${blankedConditionSql(a, rules)})`);
}
