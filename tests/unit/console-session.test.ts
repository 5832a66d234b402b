import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startNodeDuckDB } from '../../src/lib/server/engine-node';
import { createDuckSession, type DuckSession } from '../../src/lib/engine/console';
import { SqlRefusedError } from '../../src/lib/portal/sql-guard';
import { EXAMPLES } from '../../src/lib/portal/examples';
import type { DataPackage } from '../../src/lib/engine/catalog';

/**
 * The SQL console's session (engine/console.ts, the code the page runs) on the Node build of the
 * same DuckDB-WASM engine. Only the transport differs: the session registers each table's file by
 * URL, and here that URL is a file on disk. Its lockdown, guard and one-statement rule are its own.
 */
const DATA = 'static/data';
const pkg = (): DataPackage => JSON.parse(readFileSync(path.join(DATA, 'datapackage.json'), 'utf8'));

/** `shiftTokens`: the engine's tokeniser reports every token one byte later (a disagreement with the guard). */
async function nodeEngine({ shiftTokens = false } = {}) {
	const { duckdb, db, conn } = await startNodeDuckDB();
	// The browser's async API, answered by the blocking build.
	const asyncDb = {
		registerFileURL: async (name: string, _url: string, _protocol: unknown, direct: boolean) =>
			db.registerFileURL(name, path.resolve(DATA, name), duckdb.DuckDBDataProtocol.NODE_FS, direct),
		dropFile: async (name: string) => db.dropFile(name),
		tokenize: async (text: string) => {
			const t = db.tokenize(text);
			return shiftTokens ? { offsets: t.offsets.map((o) => o + 1), types: t.types } : t;
		},
		terminate: async () => db.reset()
	};
	const asyncConn = {
		query: async (sql: string) => conn.query(sql),
		prepare: async (sql: string) => {
			const stmt = conn.prepare(sql);
			return { query: async (...params: unknown[]) => stmt.query(...params), close: async () => stmt.close() };
		}
	};
	// The session asks whether each file is there before reading it: here, on the disk.
	const exists = async (url: string) => (existsSync(path.resolve(DATA, url.split('/').pop()!)) ? { ok: true, status: 200 } : { ok: false, status: 404 });
	return { db, conn, exists, start: async () => ({ db: asyncDb, conn: asyncConn }) as never };
}

const count = (conn: Awaited<ReturnType<typeof nodeEngine>>['conn'], table: string) =>
	Number(conn.query(`SELECT count(*)::INTEGER AS n FROM ${table}`).toArray()[0].toJSON().n);

describe('the console session is locked down (its own code, on the real engine)', () => {
	let engine: Awaited<ReturnType<typeof nodeEngine>>;
	let session: DuckSession;
	beforeAll(async () => {
		engine = await nodeEngine();
		session = await createDuckSession({ dataUrl: 'https://site.invalid/data/', dataPackage: pkg(), lockdown: true, start: engine.start, exists: engine.exists });
	});
	afterAll(() => session?.terminate());

	it('answers from the released tables', async () => {
		const table = await session.run('SELECT count(*)::INTEGER AS n FROM allegations');
		expect(Number(table.toArray()[0].toJSON().n)).toBe(pkg().resources.find((r) => r.name === 'allegations')!.rows);
	});

	it('runs every example the console page offers', async () => {
		for (const ex of EXAMPLES) {
			const table = await session.run(ex.sql);
			expect(table.numRows, ex.id).toBeGreaterThan(0);
		}
	});

	it('refuses files, URLs, ATTACH, COPY, extensions and settings even on its own connection, past the guard', () => {
		// The guard would refuse all of these; here the engine is asked directly, on the connection
		// the session locked. Without the lockdown the file reads, COPY, ATTACH and SETs succeed.
		const dir = mkdtempSync(path.join(tmpdir(), 'kznpm-lockdown-'));
		const file = path.resolve(DATA, 'regions.parquet');
		for (const sql of [
			`SELECT count(*) FROM read_parquet('${file}')`,
			`SELECT * FROM glob('${path.dirname(file)}/*')`,
			"SELECT * FROM read_csv_auto('http://localhost:9/x.csv')",
			`COPY regions TO '${path.join(dir, 'regions.csv')}'`,
			`ATTACH '${path.join(dir, 'other.duckdb')}' AS other`,
			'SET enable_external_access=true',
			'RESET enable_external_access',
			'SET lock_configuration=false',
			`SET home_directory='${dir}'`
		]) {
			expect(() => engine.conn.query(sql), sql).toThrow(/disabled (through|by) configuration|configuration has been locked/);
		}
		// No extension can be installed or loaded (this engine has no home directory for them either).
		for (const sql of ['INSTALL httpfs', 'LOAD httpfs']) expect(() => engine.conn.query(sql), sql).toThrow();
		expect(readdirSync(dir)).toEqual([]);
		expect(count(engine.conn, 'regions')).toBe(20);
	});

	it('refuses through run() what the guard refuses, and runs nothing of it', async () => {
		const before = count(engine.conn, 'allegations');
		for (const sql of [
			"SELECT E'\\'' AS a; DROP TABLE allegations --'",
			'SELECT 1 -- x\r; DROP TABLE allegations',
			'FROM pg_settings',
			'FROM duckdb_databases',
			"ATTACH ':memory:' AS other"
		]) {
			await expect(session.run(sql), sql).rejects.toBeInstanceOf(SqlRefusedError);
		}
		expect(count(engine.conn, 'allegations')).toBe(before);
	});
});

describe('the console session runs exactly one statement per call', () => {
	afterEach(() => {
		vi.doUnmock('../../src/lib/portal/sql-guard');
		vi.resetModules();
	});

	it('even with the guard switched off, a text the engine splits in two is refused and nothing of it runs', async () => {
		vi.resetModules();
		vi.doMock('../../src/lib/portal/sql-guard', async (original) => ({
			...(await original<typeof import('../../src/lib/portal/sql-guard')>()),
			checkSql: () => ({ ok: true }),
			agreesWithEngine: () => ({ ok: true })
		}));
		const { createDuckSession: create } = await import('../../src/lib/engine/console');
		const engine = await nodeEngine();
		const session = await create({ dataUrl: 'https://site.invalid/data/', dataPackage: pkg(), lockdown: true, start: engine.start, exists: engine.exists });
		try {
			const before = count(engine.conn, 'allegations');
			for (const sql of ["SELECT E'\\'' AS a; DROP TABLE allegations --'", 'SELECT 1; DROP TABLE allegations', 'DROP TABLE allegations; SELECT 1']) {
				await expect(session.run(sql), sql).rejects.toThrow(/multiple statements/);
			}
			expect(count(engine.conn, 'allegations')).toBe(before);
			// One statement still runs.
			expect((await session.run("SELECT E'\\'' AS a")).toArray()[0].toJSON().a).toBe("'");
		} finally {
			await session.terminate();
		}
	});
});

describe('the console session checks the guard against the engine', () => {
	it("refuses a statement whose tokens the engine's tokeniser places differently from the guard", async () => {
		const engine = await nodeEngine({ shiftTokens: true });
		const session = await createDuckSession({ dataUrl: 'https://site.invalid/data/', dataPackage: pkg(), lockdown: true, start: engine.start, exists: engine.exists });
		try {
			await expect(session.run('SELECT count(*) FROM allegations')).rejects.toMatchObject({ result: { ok: false, reason: 'engine' } });
		} finally {
			await session.terminate();
		}
	});
});

describe('a missing file takes out its own table only', () => {
	it('lists the table as unavailable, answers over the others, and names the file when asked for it', async () => {
		const engine = await nodeEngine();
		// facilities.parquet "is not on the server": the session must not wait for it, or fail as a whole.
		const exists = async (url: string) => (url.endsWith('/facilities.parquet') ? { ok: false, status: 404 } : engine.exists(url));
		const session = await createDuckSession({ dataUrl: 'https://site.invalid/data/', dataPackage: pkg(), lockdown: true, start: engine.start, exists });
		try {
			expect(session.unavailable).toEqual([{ table: 'facilities', message: 'Could not load facilities.parquet (404)' }]);
			expect(session.tables).not.toContain('facilities');
			expect(session.tables).toContain('allegations');
			const table = await session.run('SELECT count(*)::INTEGER AS n FROM allegations');
			expect(Number(table.toArray()[0].toJSON().n)).toBe(pkg().resources.find((r) => r.name === 'allegations')!.rows);
			await expect(session.run('SELECT * FROM facilities')).rejects.toThrow('facilities: Could not load facilities.parquet (404)');
		} finally {
			await session.terminate();
		}
	});
});
