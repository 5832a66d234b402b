import { expect, type Page } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Clicks `trigger` and returns the downloaded file's name and bytes. */
export async function download(page: Page, trigger: () => Promise<unknown>) {
	const [dl] = await Promise.all([page.waitForEvent('download'), trigger()]);
	const file = await dl.path();
	return { name: dl.suggestedFilename(), bytes: new Uint8Array(readFileSync(file!)) };
}

export function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
	return unzipSync(bytes);
}

export const text = (b: Uint8Array) => strFromU8(b);

/** RFC 4180 parser (quotes, doubled quotes, CRLF). */
export function parseCsv(s: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let q = false;
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (q) {
			if (c === '"' && s[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') q = false;
			else cell += c;
		} else if (c === '"') q = true;
		else if (c === ',') {
			row.push(cell);
			cell = '';
		} else if (c === '\r') continue;
		else if (c === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
		} else cell += c;
	}
	if (cell || row.length) {
		row.push(cell);
		rows.push(row);
	}
	return rows;
}

/** Values as the portal writes them: numbers as numbers, dates as yyyy-mm-dd, NULL as null. */
export function normalise(v: unknown): string | number | boolean | null {
	if (v == null) return null;
	if (typeof v === 'bigint') return Number(v);
	if (v instanceof Date) return v.toISOString().slice(0, 10);
	if (typeof v === 'object' && 'toString' in (v as object)) return String(v);
	return v as string | number | boolean;
}

export function normaliseRows(rows: Record<string, unknown>[]) {
	return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normalise(v)])));
}

let conn: Awaited<ReturnType<DuckDBInstance['connect']>> | undefined;
/** Reads a Parquet file (bytes) with DuckDB 1.5, sorted by `orderBy`. */
export async function readParquet(bytes: Uint8Array, orderBy: string) {
	if (!conn) conn = await (await DuckDBInstance.create(':memory:')).connect();
	const dir = mkdtempSync(path.join(tmpdir(), 'portal-'));
	const file = path.join(dir, 'x.parquet');
	writeFileSync(file, bytes);
	const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${file}') ORDER BY ${orderBy}`);
	return normaliseRows(reader.getRowObjectsJS() as Record<string, unknown>[]);
}

/** DuckDB 1.5 dates come back as a DuckDBDateValue-like object or a Date: make them strings. */
export async function waitForPreview(page: Page, key: RegExp) {
	const count = page.locator('[data-preview-count]');
	await expect(count).toHaveAttribute('data-preview-key', key, { timeout: 40_000 });
	await expect(page.locator('[data-download-filtered]')).toBeEnabled();
	return Number(await count.getAttribute('data-preview-count'));
}
