import { test, expect } from './fixtures';
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { download, normaliseRows, readParquet, unzip, waitForPreview } from './portal-helpers';

/**
 * Reuse for researchers: the portal's code for the current selection fetches the same rows as its
 * filtered download (the DuckDB snippet is run as shown, by Node's DuckDB, against the built
 * files), and the SQL console's query travels in the URL without running by itself.
 */

test('the DuckDB snippet on the portal returns the rows of the filtered download', async ({ page, baseURL }) => {
	test.setTimeout(120_000);
	await page.goto('/data/?region=KZ-71,KZ-75&from=2019&to=2022&v=1');
	await page.locator('[data-filtered-table]').selectOption('allegations');
	const count = await waitForPreview(page, /^allegations\?/);
	await page.locator('[data-reuse] summary').click();
	const snippet = (await page.locator('[data-snippet="duckdb"]').textContent())!;
	const fileUrl = `${baseURL}/data/allegations.parquet`;
	expect(snippet).toContain(`read_parquet('${fileUrl}')`);
	expect(snippet).toMatch(/^-- Detention Monitoring Kazakhstan · Release \d+\.\d+\.\d+ · allegations$/m);
	for (const lang of ['python', 'r']) await expect(page.locator(`[data-snippet="${lang}"]`)).toContainText(`read_parquet('${fileUrl}')`);

	// Run it as written, the site's address pointed at the built files (the tests have no network for httpfs).
	const conn = await (await DuckDBInstance.create(':memory:')).connect();
	const statements = snippet
		.replaceAll(`${baseURL}/data/`, path.resolve('build/data') + '/')
		.split('\n')
		.filter((l) => !/^(INSTALL|LOAD) httpfs;$/.test(l))
		.join('\n')
		.split(/;\n/);
	for (const st of statements.slice(0, -1)) await conn.run(st);
	const fromSnippet = normaliseRows((await conn.runAndReadAll(`SELECT * FROM (${statements.at(-1)!.replace(/;\s*$/, '')}) ORDER BY allegation_id`)).getRowObjectsJS() as Record<string, unknown>[]);
	expect(fromSnippet.length).toBe(count);

	await page.locator('[data-format="parquet"]').check();
	const zip = await download(page, () => page.locator('[data-download-filtered]').click());
	const files = unzip(zip.bytes);
	const downloaded = await readParquet(files['allegations.parquet'], 'allegation_id');
	// Compare on the released columns (a download may add label columns beside the codes).
	const columns = Object.keys(fromSnippet[0]);
	expect(downloaded.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])))).toEqual(fromSnippet);
});

test('the snippet follows the table and speaks the page language; Copy puts it on the clipboard', async ({ page, context, baseURL }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
	await page.goto('/ru/data/?region=KZ-75&auth=mia_police&v=1');
	await page.locator('[data-filtered-table]').selectOption('findings');
	await waitForPreview(page, /^findings\?/);
	await page.locator('[data-reuse] summary').click();
	const code = page.locator('[data-snippet="python"]');
	// The authority filter on findings reads visits: both files are named.
	await expect(code).toContainText(`read_parquet('${baseURL}/data/visits.parquet')`);
	await expect(code).toContainText("region_code = 'KZ-75'");
	await expect(code).toContainText('Алматы');
	await expect(code).toContainText(/# .+ · Выпуск данных \d+\.\d+\.\d+ · findings/);
	await page.locator('[data-reuse-copy="python"]').click();
	await expect(page.locator('[data-reuse-copy="python"]')).toHaveText('Скопировано');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await code.textContent());
});

test("the SQL console's query is in the URL: a shared link fills the editor and waits for Run", async ({ page }) => {
	test.setTimeout(90_000);
	const shared = 'SELECT count(*) AS n FROM regions';
	await page.goto('/data/sql/?sql=' + encodeURIComponent(shared));
	await expect(page.locator('[data-sql-input]')).toHaveValue(shared);
	await page.waitForTimeout(1000);
	await expect(page.locator('[data-sql-message]')).toHaveAttribute('data-state', 'idle');
	await page.locator('[data-sql-run]').click();
	await expect(page.locator('[data-sql-message]')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
	await expect(page.locator('[data-rows-table] tbody td').first()).toHaveText('20');

	const next = "SELECT name_ru FROM regions WHERE region_code = 'KZ-75'";
	await page.locator('[data-sql-input]').fill(next);
	await page.locator('[data-sql-run]').click();
	await expect(page).toHaveURL((u) => new URL(u).searchParams.get('sql') === next);
	await page.reload();
	await expect(page.locator('[data-sql-input]')).toHaveValue(next);
	// A refused query is kept in the URL too (to share what was refused) but never runs.
	const bad = 'COPY regions TO x';
	await page.locator('[data-sql-input]').fill(bad);
	await page.locator('[data-sql-run]').click();
	await expect(page.locator('[data-sql-message]')).toHaveAttribute('data-state', 'error');
	await expect(page).toHaveURL((u) => new URL(u).searchParams.get('sql') === bad);
});
