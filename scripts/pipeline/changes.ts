/**
 * What changed between two releases, machine-readable: changes.json, written beside every release
 * made with --previous (and kept with it when it is archived under releases/<version>/). The site's
 * "what changed" pages are rendered from it in three languages.
 *
 * Everything is counted from the two releases' published files (Parquet, datapackage.json,
 * disclosure.json), never from the input, so it tells a reader nothing the two releases do not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lit, openDb, queryRows } from './db.ts';

/** The column that places a row of each table in time (a year is taken from it); none for reference tables. */
export const PERIOD_COLUMN: Record<string, { column: string; kind: 'year' | 'month' } | null> = {
	regions: null,
	region_year: { column: 'year', kind: 'year' },
	facilities: null,
	visits: { column: 'visit_month', kind: 'month' },
	findings: { column: 'visit_month', kind: 'month' },
	allegations: { column: 'report_year', kind: 'year' },
	recommendations: { column: 'issued_month', kind: 'month' },
	recommendation_events: { column: 'event_month', kind: 'month' }
};

export type { AnonymiserSide, Changes, PeriodCount, SchemaChange, TableChange } from '../../src/lib/releases/changes.ts';
import type { AnonymiserSide, Changes, PeriodCount, SchemaChange, TableChange } from '../../src/lib/releases/changes.ts';

interface Pkg {
	version: string;
	created: string;
	resources: { name: string; path: string; rows?: number; schema: { fields: { name: string; type: string }[] } }[];
}

function readJson<T>(file: string): T {
	if (!existsSync(file)) throw new Error(`${file}: missing (expected a release folder with datapackage.json and disclosure.json)`);
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch (err) {
		throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
	}
}

function anonymiserSide(d: { allegations?: Record<string, unknown> } | null): AnonymiserSide | null {
	const a = d?.allegations as Record<string, any> | undefined;
	if (!a) return null;
	return {
		k: a.k,
		l: a.l,
		rows_in: a.rows_in,
		rows_out: a.rows_out,
		rows_suppressed: a.rows_suppressed,
		generalised: { ...a.generalised },
		suppressed_values: { ...a.suppressed_values },
		equivalence_classes: a.equivalence_classes,
		smallest_class_size: a.smallest_class_size
	};
}

/** Field-by-field comparison of two datapackages' schemas. */
export function schemaChanges(before: Pkg, after: Pkg): SchemaChange[] {
	const out: SchemaChange[] = [];
	const prev = new Map(before.resources.map((r) => [r.name, r]));
	const next = new Map(after.resources.map((r) => [r.name, r]));
	for (const [name, r] of next) {
		const p = prev.get(name);
		if (!p) {
			out.push({ table: name, change: 'table_added' });
			continue;
		}
		const pf = new Map(p.schema.fields.map((f) => [f.name, f.type]));
		const nf = new Map(r.schema.fields.map((f) => [f.name, f.type]));
		for (const [f, t] of nf) {
			if (!pf.has(f)) out.push({ table: name, change: 'field_added', field: f, to: t });
			else if (pf.get(f) !== t) out.push({ table: name, change: 'type_changed', field: f, from: pf.get(f), to: t });
		}
		for (const [f, t] of pf) if (!nf.has(f)) out.push({ table: name, change: 'field_removed', field: f, from: t });
	}
	for (const name of prev.keys()) if (!next.has(name)) out.push({ table: name, change: 'table_removed' });
	return out;
}

/** Compare the release in `previousDir` with the one in `currentDir` (both complete release folders). */
export async function computeChanges(previousDir: string, currentDir: string): Promise<Changes> {
	const before = readJson<Pkg>(join(previousDir, 'datapackage.json'));
	const after = readJson<Pkg>(join(currentDir, 'datapackage.json'));
	const dBefore = readJson<Record<string, any>>(join(previousDir, 'disclosure.json'));
	const dAfter = readJson<Record<string, any>>(join(currentDir, 'disclosure.json'));
	const db = await openDb();
	try {
		const file = (dir: string, r: Pkg['resources'][number]) => lit(join(dir, r.path));
		const names = [...new Set([...after.resources.map((r) => r.name), ...before.resources.map((r) => r.name)])];
		const tables: TableChange[] = [];
		for (const name of names) {
			const rb = before.resources.find((r) => r.name === name);
			const ra = after.resources.find((r) => r.name === name);
			const period = PERIOD_COLUMN[name];
			const yearExpr = period ? (period.kind === 'year' ? `${period.column}::INTEGER` : `year(${period.column})::INTEGER`) : 'NULL::INTEGER';
			const count = async (dir: string, r: typeof rb) =>
				r ? await queryRows<{ year: number | null; n: bigint }>(db.conn, `SELECT ${yearExpr} AS year, count(*) AS n FROM read_parquet(${file(dir, r)}) GROUP BY 1`) : [];
			const cb = await count(previousDir, rb);
			const ca = await count(currentDir, ra);
			const years = new Map<string, PeriodCount>();
			const at = (y: number | null) => {
				const key = String(y);
				if (!years.has(key)) years.set(key, { year: y, before: 0, after: 0 });
				return years.get(key)!;
			};
			for (const r of cb) at(r.year === null ? null : Number(r.year)).before += Number(r.n);
			for (const r of ca) at(r.year === null ? null : Number(r.year)).after += Number(r.n);
			const sum = (rows: { n: bigint }[]) => rows.reduce((s, r) => s + Number(r.n), 0);
			tables.push({
				table: name,
				before: rb ? sum(cb) : null,
				after: ra ? sum(ca) : null,
				by_year: period ? [...years.values()].sort((a, b) => (a.year ?? 1e9) - (b.year ?? 1e9)) : []
			});
		}
		const quarterly = new Map<string, { year: number | null; quarter: number | null; before: number; after: number }>();
		for (const [dir, side] of [[previousDir, 'before'], [currentDir, 'after']] as const) {
			const rows = await queryRows<{ y: number | null; q: number | null; n: bigint }>(
				db.conn,
				`SELECT report_year::INTEGER AS y, report_quarter::INTEGER AS q, count(*) AS n FROM read_parquet(${lit(join(dir, 'allegations.parquet'))}) GROUP BY 1, 2`
			);
			for (const r of rows) {
				const y = r.y === null ? null : Number(r.y);
				const q = r.q === null ? null : Number(r.q);
				const key = `${y}:${q}`;
				if (!quarterly.has(key)) quarterly.set(key, { year: y, quarter: q, before: 0, after: 0 });
				quarterly.get(key)![side] += Number(r.n);
			}
		}
		const rev = dAfter.revision as Record<string, any> | null;
		return {
			version: after.version,
			created: after.created,
			previous: { version: before.version, created: before.created },
			tables,
			allegations_by_quarter: [...quarterly.values()].sort((a, b) => (a.year ?? 1e9) - (b.year ?? 1e9) || (a.quarter ?? 9) - (b.quarter ?? 9)),
			revision: rev
				? {
						corrections_step: !!rev.corrections_step,
						added: rev.added,
						held_back: rev.held_back,
						corrections: {
							found: rev.corrections.found,
							applied: rev.corrections.applied_in_place + rev.corrections.applied_moved,
							held_back: rev.corrections.held_back,
							pending: rev.corrections.pending
						},
						deletions: { ...rev.deletions },
						difference: { added_rows: rev.difference.added_rows, removed_rows: rev.difference.removed_rows }
					}
				: null,
			schema: schemaChanges(before, after),
			anonymiser: { before: anonymiserSide(dBefore), after: anonymiserSide(dAfter)! }
		};
	} finally {
		db.close();
	}
}

/** changes.json for the first release of a series: what it holds, nothing to compare with. */
export function firstReleaseChanges(currentDir: string): Omit<Changes, 'allegations_by_quarter'> & { allegations_by_quarter: [] } {
	const after = readJson<Pkg>(join(currentDir, 'datapackage.json'));
	const dAfter = readJson<Record<string, any>>(join(currentDir, 'disclosure.json'));
	return {
		version: after.version,
		created: after.created,
		previous: null,
		tables: after.resources.map((r) => ({ table: r.name, before: null, after: r.rows ?? null, by_year: [] })),
		allegations_by_quarter: [],
		revision: null,
		schema: [],
		anonymiser: { before: null, after: anonymiserSide(dAfter)! }
	};
}
