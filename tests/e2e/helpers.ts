import { expect, type Page } from '@playwright/test';
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';

/**
 * Independent answers: DuckDB 1.5 (@duckdb/node-api), a different engine from the app's
 * DuckDB-WASM 0.9, reading the very Parquet files the built site serves.
 */
let conn: Awaited<ReturnType<DuckDBInstance['connect']>> | undefined;
export async function independentQuery<T = Record<string, unknown>>(sql: string): Promise<T[]> {
	if (!conn) {
		const inst = await DuckDBInstance.create(':memory:');
		conn = await inst.connect();
		await conn.run('SET autoinstall_known_extensions=false; SET autoload_known_extensions=false');
	}
	const dataDir = path.resolve('build/data');
	const text = sql.replace(/\bFROM (\w+)/g, (_, t) => `FROM read_parquet('${path.join(dataDir, t + '.parquet')}')`);
	const reader = await conn.runAndReadAll(text);
	return reader.getRowObjectsJS() as T[];
}

/**
 * Reads a chart's data table: raw values from data-value attributes, keyed by column key. The
 * table's rows are rendered when it is opened, so open it first (as a reader would).
 */
export async function readChartTable(page: Page, chartId: string) {
	const table = page.locator(`[data-chart="${chartId}"] [data-chart-table]`);
	await expect(table).toHaveCount(1);
	await page.locator(`[data-chart="${chartId}"] details.table-toggle`).evaluate((d) => ((d as HTMLDetailsElement).open = true));
	await expect(table).toHaveAttribute('data-rows', 'rendered');
	return table.evaluate((t) =>
		Array.from(t.querySelectorAll('tbody tr')).map((tr) => {
			const row: Record<string, string> = {};
			tr.querySelectorAll('[data-key]').forEach((c) => {
				row[(c as HTMLElement).dataset.key!] = (c as HTMLElement).dataset.value ?? '';
			});
			return row;
		})
	);
}

/** Records every request the page makes; `foreign()` lists those to another origin. */
export function recordRequests(page: Page, origin: string) {
	const urls: string[] = [];
	page.on('request', (r) => urls.push(r.url()));
	return {
		urls,
		foreign: () => urls.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('blob:') && !u.startsWith('data:'))
	};
}

/**
 * Colour schemes to run axe-core in for a page: both for the English pages, one for each translation
 * (Russian dark, Kazakh light). Contrast depends on the colours, which are the same in every
 * language, and every other rule on the markup, which is the same in both schemes: so both schemes
 * and all three languages are covered without checking each page six times.
 */
export function axeSchemes(path: string): ('light' | 'dark')[] {
	if (/^\/?ru\//.test(path)) return ['dark'];
	if (/^\/?kk\//.test(path)) return ['light'];
	return ['light', 'dark'];
}
