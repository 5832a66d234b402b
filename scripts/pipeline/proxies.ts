/**
 * Proxies: a released attribute that stands in for a suppressed quasi-identifier would undo the
 * suppression (docs/data-pipeline.md, section 5, "Hidden values stay hidden"). A perpetrator
 * `military` names the facility type `military_guardhouse` as surely as the type itself; a row whose
 * facility type was withheld but whose perpetrator is `military` has its type back, and with it the
 * small class the anonymiser had to break up.
 *
 * Rule: where a quasi-identifier is suppressed in a row, every attribute that is a proxy for it is
 * blanked (NULL) in that row, whatever its value. Blanking only the telling values would not do: the
 * blank itself would then say "the value was one of the telling ones". Blanking a non-QI attribute
 * changes no equivalence class, so k-anonymity and l-diversity stay as anonymise.ts left them.
 *
 * Proxies are of two kinds:
 *  - known: an attribute that names the QI by its meaning, whatever the data: the authority runs one
 *    or two facility types; a perpetrator category (military, penal staff, medical or social staff,
 *    police) works in one or a few. Always blanked with the facility type.
 *  - measured on this release's input (before anonymisation, i.e. what an attacker with full
 *    knowledge of the population could know): a value x of attribute a is a proxy for QI q when,
 *    among the input rows with a = x (at least PROXY_SUPPORT of them), one value v of q has a share of
 *    at least PROXY_CONFIDENCE (the guess "v" is more likely right than wrong) and at least PROXY_LIFT
 *    times its share among all rows (so a value that is common anyway, such as sex `male`, is not
 *    "predicted" by everything). On the demonstration data, `military` gives `military_guardhouse`
 *    in 76% of rows (28 of 37) against 0.4% overall.
 * Only single attributes are measured, not combinations; allegation_type (the sensitive attribute,
 * protected by l-diversity) is not blanked. Neither is a quasi-identifier that predicts another one
 * (facility type `juvenile_centre` and age band `under_18`): changing a QI after anonymisation could
 * break the classes (see docs/data-pipeline.md, section 5, for what this leaves).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './db.ts';

/** Released allegation attributes that are not quasi-identifiers and may be blanked. */
export const PROXY_ATTRIBUTES = ['authority', 'perpetrator', 'channel', 'outcome'] as const;
/** Quasi-identifiers that anonymise.ts suppresses (the quarter is blanked with the year). */
export const PROXY_TARGETS = ['facility_type', 'region_code', 'victim_sex', 'victim_age_band', 'report_year'] as const;
export type ProxyAttribute = (typeof PROXY_ATTRIBUTES)[number];
export type ProxyTarget = (typeof PROXY_TARGETS)[number];

export const KNOWN_PROXIES: { qi: ProxyTarget; attribute: ProxyAttribute }[] = [
	{ qi: 'facility_type', attribute: 'authority' },
	{ qi: 'facility_type', attribute: 'perpetrator' }
];
export const PROXY_CONFIDENCE = 0.5;
export const PROXY_LIFT = 2;
export const PROXY_SUPPORT = 5;

export interface ProxyRule {
	qi: ProxyTarget;
	attribute: ProxyAttribute;
	origin: 'known' | 'measured';
}

export interface ProxyReport {
	rules: ProxyRule[];
	/** Released values blanked, per attribute (a value blanked for two QIs counts once). */
	values_blanked: Record<string, number>;
	confidence: number;
	lift: number;
	support: number;
}

/**
 * Proxies measured on `alg` (the allegations before anonymisation, one row each, with the original
 * quasi-identifiers and attributes), plus the known ones. One scan of the rows (grouping sets, one per
 * pair of attribute and QI); the criteria are then applied to that small table.
 */
export async function findProxies(conn: DuckDBConnection): Promise<ProxyRule[]> {
	const rules: ProxyRule[] = KNOWN_PROXIES.map((p) => ({ ...p, origin: 'known' as const }));
	const pairs = PROXY_TARGETS.flatMap((qi) => PROXY_ATTRIBUTES.filter((a) => !rules.some((r) => r.qi === qi && r.attribute === a)).map((attribute) => ({ qi, attribute })));
	if (pairs.length === 0) return rules;
	const cols = [...PROXY_ATTRIBUTES, ...PROXY_TARGETS];
	await conn.run(`CREATE OR REPLACE TEMP TABLE proxy_counts AS
		SELECT ${cols.map((c) => `${c}::VARCHAR AS ${c}, GROUPING(${c}) AS g_${c}`).join(', ')}, count(*) AS n
		FROM alg GROUP BY GROUPING SETS (${pairs.map((p) => `(${p.attribute}, ${p.qi})`).join(', ')})`);
	const telling = await queryRows<{ qi: string; attribute: string }>(
		conn,
		pairs
			.map(
				({ qi, attribute }) => `SELECT '${qi}' AS qi, '${attribute}' AS attribute FROM (
			WITH c AS (SELECT ${attribute} AS x, ${qi} AS v, n FROM proxy_counts WHERE g_${attribute} = 0 AND g_${qi} = 0 AND ${attribute} IS NOT NULL),
			     t AS (SELECT x, sum(n) AS total, max(n) AS top, arg_max(v, n) AS v FROM c GROUP BY x),
			     p AS (SELECT v, sum(n) / (SELECT sum(n) FROM c) AS prior FROM c GROUP BY v)
			SELECT 1 FROM t JOIN p ON t.v IS NOT DISTINCT FROM p.v
			WHERE total >= ${PROXY_SUPPORT} AND top / total >= ${PROXY_CONFIDENCE} AND top / total >= ${PROXY_LIFT} * prior LIMIT 1)`
			)
			.join(' UNION ALL ')
	);
	for (const { qi, attribute } of pairs) if (telling.some((t) => t.qi === qi && t.attribute === attribute)) rules.push({ qi, attribute, origin: 'measured' });
	await conn.run('DROP TABLE proxy_counts');
	return rules;
}

/**
 * SQL for one released attribute: NULL where any QI it is a proxy for was suppressed. `row` and
 * `g` are the aliases of the allegation row (alg) and its frequency-table entry (agg, with the
 * sup_<qi> flags of anonymise.ts).
 */
export function blankedAttributeSql(attribute: ProxyAttribute, rules: ProxyRule[], row = 'a', g = 'g'): string {
	const blank = blankedConditionSql(attribute, rules, g);
	return blank === 'false' ? `${row}.${attribute}` : `CASE WHEN ${blank} THEN NULL ELSE ${row}.${attribute} END`;
}

/** SQL condition on the frequency-table entry (alias `g`) under which the attribute is blanked. */
export function blankedConditionSql(attribute: ProxyAttribute, rules: ProxyRule[], g = 'g'): string {
	const qis = [...new Set(rules.filter((r) => r.attribute === attribute).map((r) => r.qi))];
	return qis.length === 0 ? 'false' : qis.map((q) => `${g}.sup_${q}`).join(' OR ');
}

/**
 * Count what the rules blanked in the released table (`rows`: rel_allegations, or a query of the same
 * rows; `count`: the aggregate counting one attribute's blanked values there): authority, perpetrator, channel and outcome are required in the input (never empty), so every
 * NULL of theirs there is a blanked value.
 */
export async function proxyReport(
	conn: DuckDBConnection,
	rules: ProxyRule[],
	rows = 'rel_allegations',
	count = (a: ProxyAttribute) => `count(*) FILTER (WHERE ${a} IS NULL)`
): Promise<ProxyReport> {
	const blanked = PROXY_ATTRIBUTES.filter((a) => rules.some((r) => r.attribute === a));
	const values_blanked: Record<string, number> = {};
	if (blanked.length > 0) {
		const [r] = await queryRows<Record<string, bigint | number | null>>(conn, `SELECT ${blanked.map((a) => `${count(a)} AS ${a}`).join(', ')} FROM ${rows}`);
		for (const a of blanked) values_blanked[a] = Number(r[a] ?? 0);
	}
	return { rules, values_blanked, confidence: PROXY_CONFIDENCE, lift: PROXY_LIFT, support: PROXY_SUPPORT };
}
