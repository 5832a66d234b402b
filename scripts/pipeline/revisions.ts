/**
 * Successive releases: `--previous DIR` (docs/data-pipeline.md, section 5, "Successive releases").
 *
 * Readers keep every release, so they can compare two of them row by row. A release made from
 * scratch re-anonymises everything, and the rows that differ from the previous release are then
 * typically the one new or corrected allegation, with every published attribute. Here, instead:
 *
 * - Every row already published is matched with its input row through the case code: the
 *   pipeline recomputes the previous release's pseudonyms (it holds the key, and the previous
 *   release names the release id its ids were keyed with). The case code itself is never published,
 *   and ids still change with every release, so readers cannot link rows across releases.
 * - A matched row whose input is still compatible with what was published (same values, or values
 *   the published generalisation covers) is republished exactly as before: no difference at all.
 * - New rows (late reports, a new quarter, rows held back last time) form a batch that is
 *   anonymised on its own with the same k and l. The batch is what a comparison shows as added, so
 *   it must be safe by itself; rows the anonymiser cannot make safe within it are held back (not
 *   published now; they join the next batch). Safe batch + safe previous release = safe release.
 * - Corrections of rows already published (changed values, deleted cases) are applied only with
 *   `--corrections`, as one batch; without it they stay pending and the old rows are republished.
 *   A correction that leaves the row's quasi-identifiers compatible is applied in place: the row
 *   keeps its published group, so every group keeps its size (m-invariance for these rows); other
 *   corrections leave their group and join the batch of new rows. A comparison shows the old rows
 *   as removed and the new ones as added; corrections are applied only where, group by group, the
 *   removed rows, the added rows, the previous rows kept and the resulting release are each empty
 *   or have at least k rows and l allegation types, checked on the actual row-by-row difference.
 *   The rest are held back until later corrections steps make them safe.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { anonymiseAllegations, attachGroups, buildReleasedAllegations, QUASI_IDENTIFIERS, type DisclosureStats } from './anonymise.ts';
import type { ProxyReport } from './proxies.ts';
import { dropRelation, lit, queryRows, queryValue } from './db.ts';
import type { ErrorCollector } from './errors.ts';
import { ALLEGATION_ID_SCHEME } from './key.ts';

/** One line of the release history carried from release to release in disclosure.json. */
export interface ReleaseHistoryEntry {
	release: string;
	previous: string | null;
	created: string;
	corrections_step: boolean;
	rows: number;
	/** null for a release made without --previous (the first of a series). */
	added: number | null;
	held_back: number | null;
	corrections_applied: number | null;
	corrections_held_back: number | null;
	corrections_pending: number | null;
	difference_added: number | null;
	difference_removed: number | null;
}

export interface PreviousRelease {
	dir: string;
	id: string;
	history: ReleaseHistoryEntry[];
	/** How its allegation ids were made: 'keyed-sha256' (pseudo_a), or 'hmac' (pseudo; releases made before it). */
	allegationIds: 'keyed-sha256' | 'hmac';
}

export interface RevisionSummary {
	previous_release: string;
	corrections_step: boolean;
	unchanged: number;
	added: number;
	held_back: number;
	corrections: { found: number; applied_in_place: number; applied_moved: number; held_back: number; pending: number };
	deletions: { found: number; applied: number; held_back: number; pending: number };
	/** The row-by-row difference from the previous release (all columns but the id, as multisets). */
	difference: { added_rows: number; removed_rows: number; classes: number; smallest_class_size: number | null; smallest_class_distinct_types: number | null };
	rounds: number;
	steps: string[];
}

/**
 * The release id: keyed with the pseudonym key, from the input digest and the previous release's id.
 * Allegation ids are keyed with it, and it is published (disclosure.json), so the next run, holding
 * the key, can recompute this release's ids; without the key it says nothing.
 */
export function makeReleaseId(key: Buffer, inputDigest: string, previous: string | null): string {
	return createHmac('sha256', key).update(`release:${inputDigest}:${previous ?? ''}`).digest('hex').slice(0, 16);
}

/** Read what `--previous DIR` needs, or say what is wrong with it (checked before the input is read). */
export function readPrevious(dir: string, errors: ErrorCollector): PreviousRelease | null {
	if (!existsSync(dir) || !statSync(dir).isDirectory()) {
		errors.add(`--previous ${dir}: not a folder (expected the folder of the release published last)`);
		return null;
	}
	const parquet = join(dir, 'allegations.parquet');
	const disclosure = join(dir, 'disclosure.json');
	if (!existsSync(parquet) || !existsSync(disclosure)) {
		errors.add(`--previous ${dir}: no allegations.parquet and disclosure.json there (expected the folder of the release published last)`);
		return null;
	}
	let json: { release?: { id?: unknown; history?: unknown; allegation_ids?: unknown } };
	try {
		json = JSON.parse(readFileSync(disclosure, 'utf8'));
	} catch {
		errors.add(`--previous ${dir}: disclosure.json is not valid JSON`);
		return null;
	}
	const id = json.release?.id;
	if (typeof id !== 'string' || !/^[0-9a-f]{16}$/.test(id)) {
		errors.add(`--previous ${dir}: disclosure.json names no release id (the release was made by an older version of the pipeline, whose rows cannot be matched; see docs/data-pipeline.md, "Successive releases")`);
		return null;
	}
	const history = Array.isArray(json.release?.history) ? (json.release!.history as ReleaseHistoryEntry[]) : [];
	// No field: a release made before keyed-sha256, with HMAC allegation ids.
	const scheme = json.release?.allegation_ids;
	if (scheme !== undefined && scheme !== ALLEGATION_ID_SCHEME) {
		errors.add(`--previous ${dir}: disclosure.json says its allegation ids were made as ${JSON.stringify(scheme)}, which this pipeline does not know (expected "${ALLEGATION_ID_SCHEME}", or no release.allegation_ids for HMAC ids)`);
		return null;
	}
	return { dir, id, history, allegationIds: scheme === ALLEGATION_ID_SCHEME ? ALLEGATION_ID_SCHEME : 'hmac' };
}

const QI = [...QUASI_IDENTIFIERS] as string[];
const qiList = QI.join(', ');
const ORDER = 'ORDER BY report_year NULLS LAST, report_quarter NULLS LAST, region_code NULLS LAST, facility_type NULLS LAST, allegation_id';
const ADULT = ['18_24', '25_34', '35_49', '50_plus'];

/** Is the input value (c.col) covered by the published value (p.col)? NULL published = withheld: covers anything. */
function covered(col: string): string {
	const base = `p.${col} IS NULL OR p.${col} IS NOT DISTINCT FROM c.${col}`;
	if (col !== 'victim_age_band') return `(${base})`;
	const inList = (xs: string[]) => xs.map(lit).join(', ');
	return `(${base} OR (p.${col} = '18_34' AND c.${col} IN (${inList(ADULT.slice(0, 2))})) OR (p.${col} = '35_plus' AND c.${col} IN (${inList(ADULT.slice(2))})) OR (p.${col} = '18_plus' AND c.${col} IN (${inList(ADULT)})))`;
}

/** NULL-safe equality of the quasi-identifiers of two relations. */
const sameQi = (a: string, b: string) => QI.map((q) => `${a}.${q} IS NOT DISTINCT FROM ${b}.${q}`).join(' AND ');

const num = (v: unknown) => Number(v ?? 0);

/** Groups (QI combinations) of a relation with fewer than k rows or fewer than l allegation types. */
function unsafeClassesSql(rel: string, k: number, l: number): string {
	return `SELECT ${qiList} FROM ${rel} GROUP BY ${qiList} HAVING count(*) < ${k} OR count(DISTINCT allegation_type) < ${l}`;
}

/** Rows per group and allegation type of a relation (c negative: rows taken away). */
const typeCountsSql = (rel: string, sign: 1 | -1 = 1) => `SELECT ${qiList}, allegation_type, ${sign < 0 ? '-' : ''}count(*) AS c FROM ${rel} GROUP BY ${qiList}, allegation_type`;

/**
 * The same groups as unsafeClassesSql, of a multiset given as rows per group and allegation type
 * (parts added and taken away, summed here): a group whose rows all went is empty, not unsafe.
 */
function unsafeCountsSql(parts: string[], k: number, l: number): string {
	return `SELECT ${qiList} FROM (SELECT ${qiList}, allegation_type, sum(c) AS c FROM (${parts.join(' UNION ALL ')}) GROUP BY ${qiList}, allegation_type) WHERE c > 0
		GROUP BY ${qiList} HAVING sum(c) < ${k} OR count(allegation_type) < ${l}`;
}

/**
 * Build rel_allegations for a release that follows `prev`. Runs after buildReleaseTables (needs
 * `alg`) and instead of anonymiseAllegations + buildReleasedAllegations.
 * Returns null (with the reason in `errors`) when the previous release cannot be followed safely.
 */
export async function reviseAllegations(
	conn: DuckDBConnection,
	prev: PreviousRelease,
	opts: { releaseId: string; k: number; l: number; corrections: boolean; errors: ErrorCollector; protectProxies?: boolean }
): Promise<{ disclosure: DisclosureStats; revision: RevisionSummary; proxies: ProxyReport } | null> {
	const { k, l, errors, releaseId } = opts;
	const steps: string[] = [];
	// The previous release, read from its file where it is used (a copy in memory cost more than the
	// scans); prid is the row's position in the file.
	await conn.run(`CREATE OR REPLACE VIEW prev AS SELECT file_row_number + 1 AS prid, * EXCLUDE (file_row_number) FROM read_parquet(${lit(join(prev.dir, 'allegations.parquet'))}, file_row_number = true)`);
	const prevCols = (await queryRows<{ column_name: string }>(conn, 'DESCRIBE prev')).map((c) => c.column_name).filter((c) => c !== 'prid');
	const algCols = new Set((await queryRows<{ column_name: string }>(conn, 'DESCRIBE alg')).map((c) => c.column_name));
	const cols = prevCols.filter((c) => c !== 'allegation_id');
	const foreign = prevCols.filter((c) => !algCols.has(c));
	if (!prevCols.includes('allegation_id') || foreign.length > 0 || !QI.every((q) => cols.includes(q)) || !cols.includes('allegation_type')) {
		errors.add(`--previous ${prev.dir}: allegations.parquet has other columns than this pipeline publishes (${foreign.join(', ') || 'quasi-identifiers missing'})`);
		return null;
	}
	// Rows per group and allegation type of the previous release: the release and its difference
	// from the previous one are checked on these (below), not by comparing 10 million rows each round.
	await conn.run(`CREATE OR REPLACE TABLE rv_prev_counts AS ${typeCountsSql('prev')}`);
	const prevUnsafe = num(await queryValue(conn, `SELECT count(*) FROM (${unsafeCountsSql(['SELECT * FROM rv_prev_counts'], k, l)})`));
	if (prevUnsafe > 0) {
		errors.add(`--previous ${prev.dir}: ${prevUnsafe} groups of its allegations have fewer than k=${k} rows or l=${l} types, so its rows cannot be republished as they are (was it made with a smaller --k?)`);
		return null;
	}

	// Each input row with the id it had, or would have had, in the previous release. alg, a view,
	// becomes a table here: the batches below replace it.
	await conn.run('CREATE OR REPLACE TABLE rv_alg_all AS SELECT * FROM alg');
	await dropRelation(conn, 'alg');
	// The id each row had in the previous release, made as that release made its ids.
	const prevId = prev.allegationIds === ALLEGATION_ID_SCHEME ? `pseudo_a(${lit(prev.id)}, a.case_code)` : `pseudo('A-', ${lit(`allegation:${prev.id}`)}, a.case_code)`;
	const nonQi = cols.filter((c) => !QI.includes(c));
	await conn.run(`CREATE OR REPLACE TABLE rv_pair AS
		SELECT c.rid, c.allegation_id, p.prid,
		       CASE WHEN c.rid IS NULL THEN 'deleted' WHEN p.prid IS NULL THEN 'new'
		            WHEN ${QI.map(covered).join(' AND ')} AND ${nonQi.map(covered).join(' AND ')} THEN 'unchanged'
		            WHEN ${QI.map(covered).join(' AND ')} THEN 'in_place' ELSE 'moved' END AS status
		FROM (SELECT a.*, ${prevId} AS prev_id FROM rv_alg_all a) c FULL OUTER JOIN prev p ON c.prev_id = p.allegation_id`);
	const counts = Object.fromEntries(
		(await queryRows<{ status: string; n: number | bigint }>(conn, 'SELECT status, count(*) AS n FROM rv_pair GROUP BY status')).map((r) => [r.status, num(r.n)])
	) as Record<string, number>;
	const prevRows = num(await queryValue(conn, 'SELECT count(*) FROM prev'));
	const curRows = num(await queryValue(conn, 'SELECT count(*) FROM rv_alg_all'));
	// Each previous row is in rv_pair once (ids are unique, and so are case codes): the release below is
	// the previous one less the rows replaced, plus the batch, which the checks rely on.
	const paired = num(await queryValue(conn, 'SELECT count(*) FROM rv_pair WHERE prid IS NOT NULL'));
	if (paired !== prevRows) throw new Error(`successive release: ${paired} pairs for ${prevRows} previous rows (a bug: each previous row has one pair)`);
	const matched = (counts.unchanged ?? 0) + (counts.in_place ?? 0) + (counts.moved ?? 0);
	if (prevRows > 0 && curRows > 0 && matched === 0) {
		errors.add(`--previous ${prev.dir}: none of its ${prevRows} allegations matches a case in this input; was it made with another pseudonym key? (use the key of the previous release)`);
		return null;
	}
	steps.push(
		`matched with release ${prev.id}: ${counts.unchanged ?? 0} rows unchanged, ${counts.in_place ?? 0} corrected within their published group, ${counts.moved ?? 0} corrected out of it, ${counts.deleted ?? 0} no longer in the input, ${counts.new ?? 0} new`
	);

	// Corrections to try: those whose published group holds at least k of them, of at least l types
	// (a smaller set of removed rows would single them out); the loop below checks the real difference.
	await conn.run(`CREATE OR REPLACE TABLE rv_apply AS SELECT r.prid, r.rid, r.status FROM rv_pair r WHERE false`);
	if (opts.corrections) {
		await conn.run(`INSERT INTO rv_apply
			SELECT prid, rid, status FROM (
				SELECT r.prid, r.rid, r.status, count(*) OVER w AS n, count(DISTINCT p.allegation_type) OVER w AS d
				FROM rv_pair r JOIN prev p USING (prid) WHERE r.status IN ('in_place', 'moved', 'deleted')
				WINDOW w AS (PARTITION BY ${QI.map((q) => `p.${q}`).join(', ')})
			) WHERE n >= ${k} AND d >= ${l}`);
		const tried = num(await queryValue(conn, 'SELECT count(*) FROM rv_apply'));
		const all = (counts.in_place ?? 0) + (counts.moved ?? 0) + (counts.deleted ?? 0);
		steps.push(`corrections step: ${all} corrections and deletions found; ${tried} lie in published groups holding at least k=${k} of them with l=${l} types and are tried`);
	}

	const algSelect = [...algCols].map((c) => `a.${c}`).join(', ');
	let disclosure: DisclosureStats | null = null;
	let proxies: ProxyReport | null = null;
	let rounds = 0;
	for (;;) {
		rounds++;
		// The batch to anonymise on its own: new rows and corrected rows that leave their group.
		await conn.run(`CREATE OR REPLACE TABLE alg AS SELECT ${algSelect} FROM rv_alg_all a JOIN rv_pair r USING (rid)
			WHERE r.status = 'new' OR (r.status = 'moved' AND r.prid IN (SELECT prid FROM rv_apply))`);
		disclosure = await anonymiseAllegations(conn, k, l);
		await attachGroups(conn);
		// Corrected in place: the row keeps the published quasi-identifiers of its previous version.
		const maxGid = num(await queryValue(conn, 'SELECT coalesce(max(gid), 0) FROM agg'));
		await conn.run(`CREATE OR REPLACE TABLE rv_inplace AS
			SELECT ${algSelect}, ${maxGid} + row_number() OVER (ORDER BY a.rid) AS gid, r.prid, ${QI.map((q) => `p.${q} AS p_${q}`).join(', ')}
			FROM rv_alg_all a JOIN rv_pair r USING (rid) JOIN prev p USING (prid)
			WHERE r.status = 'in_place' AND r.prid IN (SELECT prid FROM rv_apply)`);
		await conn.run(`INSERT INTO agg BY NAME SELECT gid, ${QI.map((q) => `p_${q} AS ${q}`).join(', ')}, allegation_type, 1::BIGINT AS cnt,
			false AS gen_quarter, false AS gen_age, false AS gen_adult, ${QI.map((q) => `p_${q} IS NULL AS sup_${q}`).join(', ')} FROM rv_inplace`);
		await conn.run(`INSERT INTO alg BY NAME SELECT ${[...algCols].join(', ')}, gid FROM rv_inplace`);
		proxies = await buildReleasedAllegations(conn, { protectProxies: opts.protectProxies !== false, materialise: true });
		// What was withheld in a row stays withheld when it is corrected in place.
		for (const c of nonQi) {
			await conn.run(`UPDATE rel_allegations SET ${c} = NULL WHERE allegation_id IN (
				SELECT a.allegation_id FROM rv_inplace a JOIN prev p USING (prid) WHERE p.${c} IS NULL)`);
		}

		// A moved correction whose new row the batch could not hold is not applied at all.
		const lost = num(
			await queryValue(conn, `SELECT count(*) FROM rv_apply x JOIN rv_pair r USING (prid) WHERE x.status = 'moved' AND r.allegation_id NOT IN (SELECT allegation_id FROM rel_allegations)`)
		);
		if (lost > 0) {
			await conn.run(`DELETE FROM rv_apply WHERE prid IN (SELECT x.prid FROM rv_apply x JOIN rv_pair r USING (prid) WHERE x.status = 'moved' AND r.allegation_id NOT IN (SELECT allegation_id FROM rel_allegations))`);
			steps.push(`round ${rounds}: ${lost} corrections held back (their corrected row could not be made safe within the batch)`);
			continue;
		}

		// The release is the batch (rel_allegations) plus every other previous row as it was published
		// (unchanged rows, pending corrections and deletions): the previous release less the old rows of
		// the corrections applied (rv_old). Compared row by row over every column but the id, the two
		// releases therefore differ exactly by the batch less rv_old (added) and rv_old less the batch
		// (removed), as multisets; rows per group of the release, and of the previous rows kept, are the
		// previous release's counts plus and minus those. The release itself is assembled after the loop.
		const colList = cols.join(', ');
		await conn.run(`CREATE OR REPLACE TABLE rv_old AS SELECT ${colList} FROM prev WHERE prid IN (SELECT prid FROM rv_apply)`);
		// Both differences in one pass: each distinct row with its count in the batch less its count in
		// rv_old (rows compared as EXCEPT ALL compares them, NULLs equal), then expanded back into rows.
		await conn.run(`CREATE OR REPLACE TABLE rv_net AS SELECT ${colList}, sum(s)::BIGINT AS n FROM (
			SELECT ${colList}, 1 AS s FROM rel_allegations UNION ALL SELECT ${colList}, -1 AS s FROM rv_old) GROUP BY ALL HAVING sum(s) <> 0`);
		await conn.run(`CREATE OR REPLACE TABLE rv_added AS SELECT ${colList} FROM (SELECT ${colList}, unnest(range(n)) FROM rv_net WHERE n > 0)`);
		await conn.run(`CREATE OR REPLACE TABLE rv_removed AS SELECT ${colList} FROM (SELECT ${colList}, unnest(range(-n)) FROM rv_net WHERE n < 0)`);
		await conn.run(`CREATE OR REPLACE TABLE rv_final_counts AS SELECT ${qiList}, allegation_type, sum(c) AS c FROM (
			SELECT * FROM rv_prev_counts UNION ALL ${typeCountsSql('rv_old', -1)} UNION ALL ${typeCountsSql('rel_allegations')}) GROUP BY ${qiList}, allegation_type HAVING sum(c) > 0`);
		// The rows of the previous release kept as they were: where some of a group were removed, the rest
		// must still be a safe group of their own (or none), or a reader who knows a person's record was
		// not changed would learn from them.
		await conn.run(`CREATE OR REPLACE TABLE rv_unsafe AS
			${unsafeCountsSql(['SELECT * FROM rv_final_counts'], k, l)} UNION ${unsafeClassesSql('rv_added', k, l)} UNION ${unsafeClassesSql('rv_removed', k, l)}
			UNION ${unsafeCountsSql(['SELECT * FROM rv_prev_counts', typeCountsSql('rv_removed', -1)], k, l)}`);
		const unsafe = num(await queryValue(conn, 'SELECT count(*) FROM rv_unsafe'));
		if (unsafe === 0) break;
		const applied = num(await queryValue(conn, 'SELECT count(*) FROM rv_apply'));
		if (applied === 0) throw new Error(`successive release: ${unsafe} unsafe groups without any correction applied (a bug: the batch and the previous release should both be safe)`);
		// Hold back every correction that touches an unsafe group, through its old or its new row.
		await conn.run(`CREATE OR REPLACE TABLE rv_drop AS
			SELECT x.prid FROM rv_apply x JOIN prev p USING (prid) WHERE EXISTS (SELECT 1 FROM rv_unsafe u WHERE ${sameQi('u', 'p')})
			UNION
			SELECT x.prid FROM rv_apply x JOIN rv_pair r USING (prid) JOIN rel_allegations n ON n.allegation_id = r.allegation_id WHERE EXISTS (SELECT 1 FROM rv_unsafe u WHERE ${sameQi('u', 'n')})`);
		let drop = num(await queryValue(conn, 'SELECT count(*) FROM rv_drop'));
		// Without progress (or after many rounds) every correction waits: the release is then safe by construction.
		if (drop === 0 || rounds >= 20) {
			await conn.run('DELETE FROM rv_apply');
			drop = applied;
		} else await conn.run('DELETE FROM rv_apply WHERE prid IN (SELECT prid FROM rv_drop)');
		steps.push(`round ${rounds}: ${unsafe} groups of the release or of its difference from the previous one would be under k=${k} or l=${l}; ${drop} corrections touching them held back`);
	}
	// Figures for the report (new rows are published only in the batch, under the ids they have in rv_pair).
	const [s] = await queryRows<Record<string, unknown>>(
		conn,
		`SELECT (SELECT count(*) FROM rv_pair r WHERE r.status = 'new' AND r.allegation_id IN (SELECT allegation_id FROM rel_allegations)) AS added,
		        (SELECT count(*) FROM rv_pair r WHERE r.status = 'new') AS new_rows,
		        count(*) FILTER (WHERE status = 'in_place') AS in_place,
		        count(*) FILTER (WHERE status = 'moved') AS moved,
		        count(*) FILTER (WHERE status = 'deleted') AS deleted
		 FROM rv_apply`
	);
	s.held_back = num(s.new_rows) - num(s.added);

	const [diff] = await queryRows<Record<string, unknown>>(
		conn,
		`SELECT (SELECT count(*) FROM rv_added) AS added, (SELECT count(*) FROM rv_removed) AS removed, count(*) AS classes, min(n) AS min_n, min(d) AS min_d FROM (
			SELECT ${qiList}, count(*) AS n, count(DISTINCT allegation_type) AS d FROM rv_added GROUP BY ${qiList}
			UNION ALL SELECT ${qiList}, count(*) AS n, count(DISTINCT allegation_type) AS d FROM rv_removed GROUP BY ${qiList})`
	);

	// The anonymiser's figures describe the batch; the table-wide ones are computed for the release
	// from its rows per group and type.
	const [t] = await queryRows<Record<string, unknown>>(
		conn,
		`SELECT sum(n) AS rows, count(*) AS classes, min(n) AS min_n, min(d) AS min_d, sum(n * n) AS disc FROM (
			SELECT sum(c) AS n, count(allegation_type) AS d FROM rv_final_counts GROUP BY ${qiList})`
	);

	// The release: the batch, plus every other previous row as it was published, under this release's
	// ids. At 10 million rows the tables of the rounds, the join and the sort do not fit DuckDB's memory
	// limit together (they ran out of it with a corrections step), so what is no longer needed goes
	// first, and the previous rows kept are joined to their ids in one statement and sorted later.
	for (const name of ['rv_alg_all', 'alg', 'alg_rows', 'rv_inplace', 'rv_old', 'rv_drop', 'rv_added', 'rv_removed', 'rv_net', 'rv_unsafe', 'agg', 'agg_key', 'forced', 'rescue', 'rv_prev_counts', 'rv_final_counts'])
		await dropRelation(conn, name);
	// Sorting 10 million rows of text ran out of DuckDB's memory, so the text columns are turned into
	// ENUMs of their values in text order for the sort, as in a first release (anonymise.ts), and back
	// into text as allegations.parquet is written: the order is the same as the text's.
	const prevTypes = await queryRows<{ column_name: string; column_type: string }>(conn, 'DESCRIBE prev');
	const textCols = prevTypes.filter((t) => t.column_type === 'VARCHAR' && t.column_name !== 'allegation_id').map((t) => t.column_name);
	const [values] = await queryRows<Record<string, string[]>>(
		conn,
		`SELECT ${textCols.map((c) => `list_sort(list(DISTINCT ${c}) FILTER (WHERE ${c} IS NOT NULL)) AS ${c}`).join(', ')} FROM (SELECT ${textCols.join(', ')} FROM prev UNION ALL SELECT ${textCols.join(', ')} FROM rel_allegations)`
	);
	const typeOf = new Map<string, string>();
	for (const c of textCols) {
		const members = values[c] ?? [];
		if (members.length === 0) continue;
		await conn.run(`DROP TYPE IF EXISTS rv_enum_${c}; CREATE TYPE rv_enum_${c} AS ENUM (${members.map(lit).join(', ')})`);
		typeOf.set(c, `rv_enum_${c}`);
	}
	const compact = (c: string, alias: string) => (typeOf.has(c) ? `${alias}.${c}::${typeOf.get(c)} AS ${c}` : `${alias}.${c}`);
	await conn.run(`CREATE OR REPLACE TABLE rv_kept_rows AS
		SELECT coalesce(r.allegation_id, pseudo_a(${lit(releaseId)}, 'kept:' || p.allegation_id))::VARCHAR AS allegation_id, ${cols.map((c) => compact(c, 'p')).join(', ')}
		FROM prev p JOIN (SELECT prid, allegation_id FROM rv_pair) r USING (prid) ANTI JOIN rv_apply x USING (prid)`);
	for (const name of ['rv_pair', 'rv_apply']) await dropRelation(conn, name);
	await conn.run(`CREATE OR REPLACE TABLE rv_batch AS SELECT allegation_id, ${cols.map((c) => compact(c, 'b')).join(', ')} FROM rel_allegations b`);
	await conn.run('DROP TABLE rel_allegations');
	// A view, as in a first release: the rows are sorted as allegations.parquet is written (publish.ts).
	const outTypes = new Map(prevTypes.map((t) => [t.column_name, t.column_type]));
	await conn.run(`CREATE VIEW rel_allegations AS SELECT ${prevCols.map((c) => `${c}::${outTypes.get(c)} AS ${c}`).join(', ')}
		FROM (SELECT * FROM (SELECT * FROM rv_batch UNION ALL BY NAME SELECT * FROM rv_kept_rows) ${ORDER})`);
	const corrFound = (counts.in_place ?? 0) + (counts.moved ?? 0);
	const corrApplied = num(s.in_place) + num(s.moved);
	const delFound = counts.deleted ?? 0;
	const revision: RevisionSummary = {
		previous_release: prev.id,
		corrections_step: opts.corrections,
		unchanged: counts.unchanged ?? 0,
		added: num(s.added),
		held_back: num(s.held_back),
		corrections: {
			found: corrFound,
			applied_in_place: num(s.in_place),
			applied_moved: num(s.moved),
			held_back: opts.corrections ? corrFound - corrApplied : 0,
			pending: opts.corrections ? 0 : corrFound
		},
		deletions: { found: delFound, applied: num(s.deleted), held_back: opts.corrections ? delFound - num(s.deleted) : 0, pending: opts.corrections ? 0 : delFound },
		difference: {
			added_rows: num(diff.added),
			removed_rows: num(diff.removed),
			classes: num(diff.classes),
			smallest_class_size: diff.min_n == null ? null : num(diff.min_n),
			smallest_class_distinct_types: diff.min_d == null ? null : num(diff.min_d)
		},
		rounds,
		steps
	};

	const d = disclosure!;
	const rowsOut = num(t.rows);
	const batch = d.rows_in;
	const result: DisclosureStats = {
		...d,
		rows_in: curRows,
		rows_out: rowsOut,
		rows_suppressed: revision.held_back,
		equivalence_classes: num(t.classes),
		smallest_class_size: num(t.min_n),
		smallest_class_distinct_types: num(t.min_d),
		average_class_size: rowsOut / Math.max(1, num(t.classes)),
		information_loss: { ...d.information_loss, discernibility_per_row: num(t.disc) / Math.max(1, rowsOut) },
		steps: [
			`successive release after ${prev.id}: only the batch of ${batch} new (or moved, corrected) rows was anonymised in this run, on its own; the other rows keep the form they were published in. The figures of generalised and suppressed values and of information loss describe this batch; rows held back are counted as removed (they are published with a later batch).`,
			...d.steps
		]
	};
	return { disclosure: result, revision, proxies: proxies! };
}

/** The history entry of this release (appended to the previous release's history). */
export function historyEntry(id: string, created: string, rows: number, revision: RevisionSummary | undefined): ReleaseHistoryEntry {
	return {
		release: id,
		previous: revision?.previous_release ?? null,
		created,
		corrections_step: revision?.corrections_step ?? false,
		rows,
		added: revision ? revision.added : null,
		held_back: revision ? revision.held_back : null,
		corrections_applied: revision ? revision.corrections.applied_in_place + revision.corrections.applied_moved + revision.deletions.applied : null,
		corrections_held_back: revision ? revision.corrections.held_back + revision.deletions.held_back : null,
		corrections_pending: revision ? revision.corrections.pending + revision.deletions.pending : null,
		difference_added: revision ? revision.difference.added_rows : null,
		difference_removed: revision ? revision.difference.removed_rows : null
	};
}

/** The report's section on this release's changes and on the releases before it. */
export function renderRevisionSection(k: number, l: number, history: ReleaseHistoryEntry[], revision: RevisionSummary | undefined): string {
	const lines: string[] = ['## Changes since the previous release', ''];
	if (!revision) {
		lines.push(
			'This release was made without `--previous`: it was anonymised from scratch. It must be the first of a series. If an earlier release was published, compare the two row by row and the rows that differ can single out the people whose records changed: make every later release with `--previous` (docs/data-pipeline.md, "Successive releases").',
			''
		);
	} else {
		const r = revision;
		const pending = r.corrections.pending + r.deletions.pending;
		lines.push(
			`This release follows release \`${r.previous_release}\`${r.corrections_step ? ', with a corrections step' : ''}. Rows published before keep exactly the form they were published in; what differs between the two releases (compared row by row over every column but the id, which changes with every release) is listed below, and every group of those rows sharing the quasi-identifiers has at least **k = ${k}** rows and **l = ${l}** allegation types, added rows and removed rows counted separately.`,
			''
		);
		lines.push('| change | rows | how it was protected |');
		lines.push('|---|---|---|');
		lines.push(`| republished unchanged | ${r.unchanged} | as published before (corrections hidden by the published generalisation count here) |`);
		lines.push(`| new rows published | ${r.added} | anonymised as one batch on its own, k = ${k}, l = ${l} |`);
		lines.push(`| new rows held back | ${r.held_back} | not published: their group within the batch could not be made safe; they join the next batch (rows never published before count here) |`);
		lines.push(`| corrections applied in place | ${r.corrections.applied_in_place} | the row keeps its published group; applied only where at least k corrections of l types share it |`);
		lines.push(`| corrections applied by moving the row | ${r.corrections.applied_moved} | old row removed (same rule), new row anonymised with the batch |`);
		lines.push(`| cases deleted from the input, removed | ${r.deletions.applied} | same rule as corrections |`);
		lines.push(`| corrections and deletions held back | ${r.corrections.held_back + r.deletions.held_back} | too few in their group: the old row is republished until a later corrections step |`);
		lines.push(`| corrections and deletions pending | ${pending} | ${pending > 0 ? 'not applied: this run had no `--corrections`; the old rows are republished' : 'none'} |`);
		lines.push(`| rows that differ: added / removed | ${r.difference.added_rows} / ${r.difference.removed_rows} | ${r.difference.classes > 0 ? `${r.difference.classes} groups, the smallest ${r.difference.smallest_class_size} rows of ${r.difference.smallest_class_distinct_types} types` : 'none: the two releases hold the same rows'} |`);
		lines.push('');
		lines.push('Steps:');
		lines.push('');
		for (const s of r.steps) lines.push(`1. ${s}`);
		lines.push('');
	}
	lines.push(
		'What holds across releases and what does not: each release is checked against the one before it, in both directions. Two releases with no corrections step between them differ only by batches of new rows that were each safe on their own, so their comparison is safe too. Two releases with two or more corrections steps between them are not checked against each other: a row corrected twice can cancel out of their comparison, and fewer than k rows of a group may be kept through all the steps. New rows and corrections are published later than the secretariat records them (held back, or waiting for a corrections step). Visits, findings and recommendations describe institutions, not people, and are republished as they are.',
		''
	);
	if (history.length > 0) {
		lines.push('### Releases of this series');
		lines.push('');
		lines.push('| release | after | created | allegations | new published | held back | corrections applied | held back | pending | differing rows added / removed |');
		lines.push('|---|---|---|---|---|---|---|---|---|---|');
		const v = (x: number | null) => (x === null ? '-' : String(x));
		for (const h of history)
			lines.push(
				`| \`${h.release}\` | ${h.previous ? `\`${h.previous}\`` : 'first'} | ${h.created.slice(0, 10)} | ${h.rows} | ${v(h.added)} | ${v(h.held_back)} | ${v(h.corrections_applied)} | ${v(h.corrections_held_back)} | ${v(h.corrections_pending)} | ${h.difference_added === null ? '-' : `${h.difference_added} / ${h.difference_removed}`} |`
			);
		lines.push('');
	}
	return lines.join('\n');
}
