/**
 * Faults stay local: a build whose release has one truncated and one missing rollup is served on
 * its own port. The charts that read those files say so (naming the file) and offer a retry; every
 * other chart on the page still answers filter changes, and the status line counts the failures
 * instead of calling the whole page broken (or, as before, "pre-computed").
 */
import { test, expect } from './fixtures';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { independentQuery, readChartTable } from './helpers';

// One faulty site and one server for the whole file: its tests run in one worker, in order.
test.describe.configure({ mode: 'serial' });

const PORT = Number(process.env.E2E_PORT ?? 4174) + 11;
const ORIGIN = `http://localhost:${PORT}`;
let site: string;
let server: ChildProcess;

test.beforeAll(async () => {
	site = mkdtempSync(path.join(tmpdir(), 'kz-faults-'));
	cpSync('build', site, { recursive: true });
	const rollups = path.join(site, 'data', 'rollups');
	// Truncated: the findings rollup loses its second half (footer included).
	const findings = path.join(rollups, 'findings.arrow');
	truncateSync(findings, Math.floor(statSync(findings).size / 2));
	// Missing: the recommendations rollup.
	for (const f of ['recommendations.arrow', 'recommendations.arrow.br', 'recommendations.arrow.gz']) rmSync(path.join(rollups, f), { force: true });
	for (const f of ['findings.arrow.br', 'findings.arrow.gz']) rmSync(path.join(rollups, f), { force: true });
	expect(existsSync(path.join(rollups, 'recommendations.arrow'))).toBe(false);
	// Missing microdata: the facilities table (the SQL console must still work over the others).
	for (const f of ['facilities.parquet', 'facilities.parquet.br', 'facilities.parquet.gz']) rmSync(path.join(site, 'data', f), { force: true });
	server = spawn(process.execPath, ['scripts/serve.mjs', site], { env: { ...process.env, PORT: String(PORT) }, stdio: 'ignore' });
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(ORIGIN + '/')).ok) return;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('the faulty site did not start');
});

test.afterAll(() => {
	server?.kill();
	if (site) rmSync(site, { recursive: true, force: true });
});

test('overview: the charts over the broken rollups fail alone, the rest answer the filter', async ({ page }) => {
	await page.goto(ORIGIN + '/?ftype=sizo&v=1');
	// The allegations chart (its rollup is intact) answers the filter: its table equals an independent count.
	const chart = page.locator('[data-chart="allegations-by-year"]');
	await expect(chart).toHaveAttribute('data-status', 'ready');
	await expect(page.locator('.engine-state')).toHaveAttribute('data-engine', 'partial');
	const rows = await readChartTable(page, 'allegations-by-year');
	const want = await independentQuery<{ year: number; n: bigint }>(
		`SELECT report_year AS year, count(*) AS n FROM allegations WHERE facility_type = 'sizo' GROUP BY 1 ORDER BY 1`
	);
	for (const w of want) {
		const row = rows.find((r) => Number(r.year) === w.year);
		expect(row, `year ${w.year}`).toBeTruthy();
		expect(Object.values(row!).map(Number)).toContain(Number(w.n));
	}
	// The heatmap reads the truncated file, the implementation chart the missing one: each says which file.
	const heatmap = page.locator('[data-chart="conditions-heatmap"]');
	await expect(heatmap).toHaveAttribute('data-status', 'error');
	await expect(heatmap.getByRole('alert')).toContainText('rollups/findings.arrow');
	await expect(heatmap.getByRole('button')).toBeVisible();
	const impl = page.locator('[data-chart="recommendations-implementation-by-year"]');
	await expect(impl).toHaveAttribute('data-status', 'error');
	await expect(impl.getByRole('alert')).toContainText('recommendations.arrow');
	// The status line tells the truth: three of five views failed (headlines, implementation, heatmap).
	await expect(page.locator('.engine-state')).toHaveAttribute('data-failed', '3');
	await expect(page.locator('.engine-state')).toContainText('3');
	// The map (allegations rollup) still follows a change of filter.
	await page.locator('[data-filter="from"]').selectOption('2020');
	await expect(page).toHaveURL(/from=2020/);
	await expect(chart).toHaveAttribute('data-status', 'ready');
	await expect(page.locator('[data-chart="region-map"]')).toHaveAttribute('data-status', 'ready');
});

test('a theme page whose rollups are intact is entirely live on the same broken release', async ({ page }) => {
	await page.goto(ORIGIN + '/allegations/?ftype=sizo&v=1');
	await expect(page.locator('.engine-state')).toHaveAttribute('data-engine', 'live');
	await expect(page.locator('[data-chart][data-status="error"]')).toHaveCount(0);
});

test('the conditions page says its charts failed, not that they are pre-computed', async ({ page }) => {
	await page.goto(ORIGIN + '/conditions/?ftype=sizo&v=1');
	await expect(page.locator('.engine-state')).toHaveAttribute('data-engine', 'failed');
	await expect(page.locator('[data-chart="conditions-heatmap"]')).toHaveAttribute('data-status', 'error');
	expect(readFileSync(path.join(site, 'data', 'rollups', 'manifest.json'), 'utf8')).toContain('findings.arrow');
});

test('the SQL console works over the tables that loaded and says which did not', async ({ page }) => {
	await page.goto(ORIGIN + '/data/sql/');
	const editor = page.locator('[data-sql-input]');
	await expect(page.locator('[data-sql-run]')).toBeEnabled();
	await editor.fill('SELECT count(*) AS n FROM allegations');
	await page.locator('[data-sql-run]').click();
	await expect(page.locator('[data-sql-message]')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
	const [want] = await independentQuery<{ n: bigint }>('SELECT count(*) AS n FROM allegations');
	const shown = await page.locator('[data-rows-table] [data-col="n"]').first().textContent();
	expect(Number(shown!.replace(/\D/g, ''))).toBe(Number(want.n));
	await expect(page.locator('[data-sql-unavailable]')).toContainText('facilities');
	await editor.fill('SELECT * FROM facilities');
	await page.locator('[data-sql-run]').click();
	await expect(page.locator('[data-sql-message]')).toContainText('facilities.parquet');
});
