/** Example queries for the SQL console (DuckDB v0.9.1 dialect, released tables only). */
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
	{ id: 'describe', sql: 'DESCRIBE visits;' },
	{ id: 'summarize', sql: 'SUMMARIZE findings;' }
];
