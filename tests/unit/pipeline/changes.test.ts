/**
 * changes.json (scripts/pipeline/changes.ts) against an independent computation over the two
 * demo releases' published files: the current release in static/data/ and the earlier one the
 * pipeline archived in static/data/releases/<version>/ (`npm run data` makes both). Counts are
 * taken here with SQL of their own over the Parquet; the row-by-row difference is the reader's
 * attack (EXCEPT ALL both ways over every column but the id).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { schemaChanges } from '../../../scripts/pipeline/changes.ts';
import { compareVersions, nextVersion } from '../../../scripts/pipeline/archive.ts';
import { resolvePin } from '../../../src/lib/releases/pin.ts';
import type { Changes } from '../../../src/lib/releases/changes.ts';

const CURRENT = 'static/data';
const archived = existsSync(join(CURRENT, 'releases')) ? readdirSync(join(CURRENT, 'releases')).sort(compareVersions) : [];
const PREVIOUS = join(CURRENT, 'releases', archived[archived.length - 1] ?? 'none');

let instance: DuckDBInstance;
let conn: DuckDBConnection;
const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const pq = (dir: string, table: string) => `read_parquet('${join(dir, `${table}.parquet`).replace(/'/g, "''")}')`;
async function rows(sql: string): Promise<Record<string, unknown>[]> {
	return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

beforeAll(async () => {
	instance = await DuckDBInstance.create(':memory:');
	conn = await instance.connect();
});
afterAll(() => {
	conn?.closeSync();
	instance?.closeSync();
});

describe('the demo data hold two releases', () => {
	it('an earlier release is archived with its own files, intact', () => {
		expect(archived.length).toBeGreaterThanOrEqual(1);
		const pkg = json<{ version: string; resources: { path: string; hash: string; bytes: number }[] }>(join(PREVIOUS, 'datapackage.json'));
		expect(pkg.version).toBe(archived[archived.length - 1]);
		for (const r of pkg.resources) {
			const bytes = readFileSync(join(PREVIOUS, r.path));
			expect(bytes.length, r.path).toBe(r.bytes);
			expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`, r.path).toBe(r.hash);
		}
		const current = json<{ version: string }>(join(CURRENT, 'datapackage.json')).version;
		expect(compareVersions(current, pkg.version)).toBeGreaterThan(0);
	});
});

describe('changes.json against the two releases\' Parquet', () => {
	const changes = () => json<Changes>(join(CURRENT, 'changes.json'));

	it('names the two versions', () => {
		const c = changes();
		expect(c.version).toBe(json<{ version: string }>(join(CURRENT, 'datapackage.json')).version);
		expect(c.previous?.version).toBe(json<{ version: string }>(join(PREVIOUS, 'datapackage.json')).version);
	});

	it('rows per table and per year, before and after, as counted in the files', async () => {
		const c = changes();
		const periods: Record<string, string> = { allegations: 'report_year', visits: 'year(visit_month)', findings: 'year(visit_month)', recommendations: 'year(issued_month)', recommendation_events: 'year(event_month)', region_year: 'year' };
		for (const t of c.tables) {
			const count = async (dir: string) => Number((await rows(`SELECT count(*) AS n FROM ${pq(dir, t.table)}`))[0].n);
			expect(t.before, t.table).toBe(await count(PREVIOUS));
			expect(t.after, t.table).toBe(await count(CURRENT));
			const expr = periods[t.table];
			if (!expr) {
				expect(t.by_year).toEqual([]);
				continue;
			}
			const byYear = async (dir: string) => new Map((await rows(`SELECT ${expr} AS y, count(*) AS n FROM ${pq(dir, t.table)} GROUP BY ALL`)).map((r) => [r.y === null ? null : Number(r.y), Number(r.n)]));
			const b = await byYear(PREVIOUS);
			const a = await byYear(CURRENT);
			const years = [...new Set([...b.keys(), ...a.keys()])];
			expect(t.by_year.length, t.table).toBe(years.length);
			for (const y of years) expect(t.by_year.find((p) => p.year === y), `${t.table} ${y}`).toEqual({ year: y, before: b.get(y) ?? 0, after: a.get(y) ?? 0 });
		}
		// The demo's later release adds a new year of allegations and late reports of earlier years.
		const alg = c.tables.find((t) => t.table === 'allegations')!;
		expect(alg.after! - alg.before!).toBeGreaterThan(0);
		expect(alg.by_year.filter((y) => y.before === 0 && y.after > 0).length).toBe(1);
		expect(alg.by_year.filter((y) => y.before > 0 && y.after > y.before).length).toBeGreaterThan(1);
	});

	it('allegations by year and quarter sum to the table totals', async () => {
		const c = changes();
		const q = new Map((await rows(`SELECT report_year AS y, report_quarter AS q, count(*) AS n FROM ${pq(CURRENT, 'allegations')} GROUP BY ALL`)).map((r) => [`${r.y}:${r.q}`, Number(r.n)]));
		for (const row of c.allegations_by_quarter) expect(row.after, `${row.year} Q${row.quarter}`).toBe(q.get(`${row.year}:${row.quarter}`) ?? 0);
		expect(c.allegations_by_quarter.filter((r) => r.after > 0).length).toBe(q.size);
	});

	it('the row-by-row difference is the one a reader computes', async () => {
		const c = changes();
		const cols = (await rows(`DESCRIBE SELECT * FROM ${pq(CURRENT, 'allegations')}`)).map((r) => String(r.column_name)).filter((n) => n !== 'allegation_id').join(', ');
		const diff = async (a: string, b: string) => Number((await rows(`SELECT count(*) AS n FROM (SELECT ${cols} FROM ${pq(a, 'allegations')} EXCEPT ALL SELECT ${cols} FROM ${pq(b, 'allegations')})`))[0].n);
		expect(c.revision).not.toBeNull();
		expect(c.revision!.difference.added_rows).toBe(await diff(CURRENT, PREVIOUS));
		expect(c.revision!.difference.removed_rows).toBe(await diff(PREVIOUS, CURRENT));
		// Corrections were applied (the demo's --corrections step): rows removed, as many added back.
		expect(c.revision!.corrections.applied).toBeGreaterThan(0);
		expect(c.revision!.difference.removed_rows).toBeGreaterThan(0);
		const alg = c.tables.find((t) => t.table === 'allegations')!;
		expect(c.revision!.difference.added_rows - c.revision!.difference.removed_rows).toBe(alg.after! - alg.before!);
	});

	it('schema changes match the columns of the two releases', async () => {
		const c = changes();
		const tables = c.tables.map((t) => t.table);
		const cols = async (dir: string, t: string) => (await rows(`DESCRIBE SELECT * FROM ${pq(dir, t)}`)).map((r) => `${r.column_name}:${r.column_type}`).join(',');
		let same = true;
		for (const t of tables) if ((await cols(PREVIOUS, t)) !== (await cols(CURRENT, t))) same = false;
		expect(c.schema.length === 0).toBe(same);
	});

	it('the anonymiser figures are those of each release\'s disclosure.json', () => {
		const c = changes();
		const before = json<{ allegations: { k: number; smallest_class_size: number; equivalence_classes: number } }>(join(PREVIOUS, 'disclosure.json')).allegations;
		const after = json<{ allegations: { k: number; smallest_class_size: number; equivalence_classes: number } }>(join(CURRENT, 'disclosure.json')).allegations;
		expect(c.anonymiser.before?.equivalence_classes).toBe(before.equivalence_classes);
		expect(c.anonymiser.after.equivalence_classes).toBe(after.equivalence_classes);
		expect(c.anonymiser.after.k).toBe(after.k);
	});
});

describe('schemaChanges', () => {
	const pkg = (resources: Record<string, Record<string, string>>) => ({
		version: '1.0.0',
		created: '',
		resources: Object.entries(resources).map(([name, fields]) => ({ name, path: `${name}.parquet`, schema: { fields: Object.entries(fields).map(([n, type]) => ({ name: n, type })) } }))
	});
	it('finds added, removed and retyped columns and tables', () => {
		const out = schemaChanges(pkg({ a: { x: 'integer', y: 'string' }, gone: { z: 'string' } }), pkg({ a: { x: 'number', w: 'date' }, fresh: { q: 'string' } }));
		expect(out).toEqual([
			{ table: 'a', change: 'type_changed', field: 'x', from: 'integer', to: 'number' },
			{ table: 'a', change: 'field_added', field: 'w', to: 'date' },
			{ table: 'a', change: 'field_removed', field: 'y', from: 'string' },
			{ table: 'fresh', change: 'table_added' },
			{ table: 'gone', change: 'table_removed' }
		]);
		expect(schemaChanges(pkg({ a: { x: 'integer' } }), pkg({ a: { x: 'integer' } }))).toEqual([]);
	});
});

describe('versions and pins', () => {
	it('next version and ordering', () => {
		expect(nextVersion('1.0.0')).toBe('1.1.0');
		expect(nextVersion('2.9.3')).toBe('2.10.0');
		expect(['1.10.0', '1.2.0', '1.9.1'].sort(compareVersions)).toEqual(['1.2.0', '1.9.1', '1.10.0']);
	});
	it('a ?release= value pins an archived release, names the current one, or is refused with the list', () => {
		expect(resolvePin(null, '1.1.0', ['1.0.0'])).toEqual({ kind: 'current', version: '1.1.0' });
		expect(resolvePin('1.1.0', '1.1.0', ['1.0.0'])).toEqual({ kind: 'current', version: '1.1.0' });
		expect(resolvePin('1.0.0', '1.1.0', ['1.0.0'])).toEqual({ kind: 'pinned', version: '1.0.0', current: '1.1.0' });
		expect(resolvePin('9.9.9', '1.1.0', ['1.0.0'])).toEqual({ kind: 'unknown', value: '9.9.9', available: ['1.0.0', '1.1.0'] });
		expect(resolvePin('../x', '1.1.0', ['1.0.0']).kind).toBe('unknown');
	});
});
