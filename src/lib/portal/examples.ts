/**
 * Worked example queries for the SQL console (DuckDB's dialect, released tables only), at least
 * one per released table; a unit test runs each through the guard and an independent DuckDB.
 */
export const EXAMPLES: { id: string; sql: string }[] = [
	{
		id: 'by_year',
		sql: `SELECT report_year, count(*) AS allegations
FROM allegations
GROUP BY report_year
ORDER BY report_year NULLS LAST;`
	},
	{
		id: 'by_region',
		sql: `SELECT r.name_en, r.name_ru, r.name_kk, count(a.allegation_id) AS allegations
FROM regions r
LEFT JOIN allegations a USING (region_code)
GROUP BY ALL
ORDER BY allegations DESC;`
	},
	{
		id: 'implemented',
		sql: `SELECT addressee, priority,
       round(avg(CASE WHEN status = 'implemented' THEN 1 ELSE 0 END) * 100, 1) AS implemented_pct,
       count(*) AS recommendations
FROM recommendations
GROUP BY addressee, priority
ORDER BY addressee, priority;`
	},
	{
		id: 'types_outcomes',
		sql: `SELECT allegation_type, outcome, count(*) AS allegations
FROM allegations
GROUP BY ALL
ORDER BY allegation_type, allegations DESC;`
	},
	{
		id: 'rate_per_100k',
		sql: `-- Allegations per 100,000 residents a year, by region, over the years both are known
SELECT a.region_code,
       round(count(*) * 100000.0 / (SELECT sum(y.residents) FROM region_year y
                                     WHERE y.region_code = a.region_code
                                       AND y.year BETWEEN (SELECT min(report_year) FROM allegations)
                                                      AND (SELECT max(report_year) FROM allegations)), 2) AS per_100k_a_year
FROM allegations a
GROUP BY a.region_code
ORDER BY per_100k_a_year DESC;`
	},
	{
		id: 'standard_by_indicator',
		sql: `SELECT indicator, facility_type,
       round(avg(CASE WHEN meets_standard THEN 1 ELSE 0 END) * 100, 1) AS meeting_standard_pct,
       count(*) AS findings
FROM findings
GROUP BY ALL
ORDER BY indicator, meeting_standard_pct;`
	},
	{
		id: 'visits_by_body',
		sql: `SELECT year(visit_month) AS year, body, count(*) AS visits, round(avg(team_size), 1) AS mean_team
FROM visits
GROUP BY ALL
ORDER BY year, body;`
	},
	{
		id: 'facilities_by_type',
		sql: `SELECT facility_type, authority, count(*) AS facilities
FROM facilities
GROUP BY ALL
ORDER BY facilities DESC;`
	},
	{
		id: 'status_history',
		sql: `-- How many recommendations reached each status, by the year it was recorded
SELECT year(event_month) AS year, status, count(DISTINCT recommendation_id) AS recommendations
FROM recommendation_events
GROUP BY ALL
ORDER BY year, status;`
	},
	{ id: 'describe', sql: 'DESCRIBE visits;' },
	{ id: 'summarize', sql: 'SUMMARIZE findings;' }
];
