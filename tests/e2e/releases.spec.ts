import { test, expect } from './fixtures';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { download, readParquet } from './portal-helpers';

/**
 * Releases over time: the list of releases, a what-changed page in Russian, a download of the
 * earlier release's file (re-read and counted against the archived folder's Parquet, with an
 * engine of the test's own), and a link that pins the portal and the SQL console to it.
 */
const pkgOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'datapackage.json'), 'utf8')) as { version: string; resources: { name: string; rows: number }[] };
const CURRENT = pkgOf('build/data').version;
const EARLIER = readdirSync('build/data/releases').filter((v) => /^\d+\.\d+\.\d+$/.test(v)).sort()[0];

async function count(sql: string): Promise<number> {
	const conn = await (await DuckDBInstance.create(':memory:')).connect();
	const reader = await conn.runAndReadAll(sql);
	return Number((reader.getRowObjectsJS()[0] as { n: bigint }).n);
}
const file = (dir: string, table: string) => `read_parquet('${path.resolve(dir, `${table}.parquet`)}')`;

test('the releases page lists every release and the earlier release downloads whole', async ({ page }) => {
	expect(EARLIER).toBeTruthy();
	expect(EARLIER).not.toBe(CURRENT);
	await page.goto('/data/');
	await page.locator('[data-releases-link]').click();
	await expect(page).toHaveURL(/\/data\/releases\/$/);
	const rows = page.locator('[data-releases] tbody tr');
	await expect(rows).toHaveCount(2);
	await expect(rows.nth(0)).toHaveAttribute('data-release', CURRENT);
	await expect(rows.nth(0).locator('[data-current]')).toHaveCount(1);
	const earlier = page.locator(`[data-release="${EARLIER}"]`);
	// Row counts against the archived folder's files, counted here.
	const n = await count(`SELECT count(*) AS n FROM ${file(`build/data/releases/${EARLIER}`, 'allegations')}`);
	await expect(earlier.locator('[data-allegations]')).toHaveAttribute('data-allegations', String(n));
	await expect(page.locator(`[data-release="${CURRENT}"] [data-allegations]`)).toHaveAttribute('data-allegations', String(await count(`SELECT count(*) AS n FROM ${file('build/data', 'allegations')}`)));
	// The earlier release's Parquet, downloaded and read again.
	const dl = await download(page, () => earlier.locator('[data-file="allegations.parquet"]').click());
	expect(dl.name).toBe('allegations.parquet');
	const got = await readParquet(dl.bytes, 'allegation_id');
	expect(got.length).toBe(n);
	expect(got.length).toBe(pkgOf(`build/data/releases/${EARLIER}`).resources.find((r) => r.name === 'allegations')!.rows);
	expect(got.length).not.toBe(pkgOf('build/data').resources.find((r) => r.name === 'allegations')!.rows);
});

test('what changed, in Russian, with figures counted from both releases', async ({ page }) => {
	await page.goto(`/ru/data/releases/${CURRENT}/`);
	await expect(page.locator('h1')).toHaveText(`Выпуск ${CURRENT}: что изменилось`);
	await expect(page.locator('[data-changes-intro]')).toContainText(`Сравнение с выпуском ${EARLIER}`);
	const before = await count(`SELECT count(*) AS n FROM ${file(`build/data/releases/${EARLIER}`, 'allegations')}`);
	const after = await count(`SELECT count(*) AS n FROM ${file('build/data', 'allegations')}`);
	const row = page.locator('[data-changes-tables] [data-table="allegations"]');
	await expect(row.locator('[data-after]')).toHaveAttribute('data-after', String(after));
	// Russian number format: a narrow no-break space between thousands.
	const delta = (await row.locator('[data-delta]').textContent())!;
	expect(delta.startsWith('+')).toBe(true);
	expect(Number(delta.replace(/\D/g, ''))).toBe(after - before);
	expect(delta).toMatch(/^\+\d{1,3}(\u00a0|\u202f|\s)\d{3}$|^\+\d{1,3}$/);
	// Rows added to each report year, against an independent count.
	const years = await page.locator('[data-changes-years] tbody tr').evaluateAll((trs) => trs.map((tr) => ({ year: tr.getAttribute('data-year'), delta: tr.querySelector('[data-delta]')!.textContent! })));
	const reader = await (await (await DuckDBInstance.create(':memory:')).connect()).runAndReadAll(
		`SELECT coalesce(a.y, b.y) AS y, coalesce(a.n, 0) - coalesce(b.n, 0) AS d FROM (SELECT report_year AS y, count(*) AS n FROM ${file('build/data', 'allegations')} GROUP BY 1) a FULL JOIN (SELECT report_year AS y, count(*) AS n FROM ${file(`build/data/releases/${EARLIER}`, 'allegations')} GROUP BY 1) b ON a.y IS NOT DISTINCT FROM b.y`
	);
	const expected = reader.getRowObjectsJS() as { y: number | null; d: bigint }[];
	expect(years.length).toBe(expected.length);
	for (const e of expected) {
		const shown = years.find((y) => y.year === String(e.y ?? 'null'));
		expect(shown, String(e.y)).toBeTruthy();
		const d = Number(e.d);
		expect(Number(shown!.delta.replace(/[^\d]/g, '')) * (shown!.delta.startsWith('\u2212') ? -1 : 1), String(e.y)).toBe(d);
	}
	await expect(page.locator('[data-changes-revision]')).toContainText('Исправления уже опубликованных сообщений');
	await expect(page.locator('[data-changes-schema]')).toContainText(`Нет: во всех таблицах те же столбцы`);
	// The first release has nothing to compare with (Kazakh).
	await page.goto(`/kk/data/releases/${EARLIER}/`);
	await expect(page.locator('[data-changes-intro]')).toContainText('Бұл алғашқы шығарылым');
});

test('a link pins the earlier release in the portal and the SQL console; an unknown one is named', async ({ page }) => {
	test.setTimeout(90_000);
	await page.goto(`/data/?release=${EARLIER}`);
	await expect(page.locator(`[data-pinned="${EARLIER}"]`)).toContainText(`You are viewing release ${EARLIER} (current: ${CURRENT}).`);
	await expect(page.locator('[data-apa]')).toContainText(`(Version ${EARLIER}) [Data set]`);
	await expect(page.locator('[data-apa]')).toContainText(`?release=${EARLIER}`);
	const card = page.locator('[data-table-card="allegations"]');
	await expect(card.locator('[data-rows]')).toHaveAttribute('data-rows', String(pkgOf(`build/data/releases/${EARLIER}`).resources.find((r) => r.name === 'allegations')!.rows));
	await expect(card.locator('[data-full-download]')).toHaveAttribute('href', `/data/releases/${EARLIER}/allegations.parquet`);

	await page.goto(`/data/sql/?release=${EARLIER}`);
	await expect(page.locator(`[data-pinned="${EARLIER}"]`)).toBeVisible();
	await page.locator('[data-sql-input]').fill('SELECT count(*)::INTEGER AS n FROM allegations');
	await page.locator('[data-sql-run]').click();
	await expect(page.locator('[data-sql-message]')).toHaveAttribute('data-state', 'done', { timeout: 40_000 });
	const n = await count(`SELECT count(*) AS n FROM ${file(`build/data/releases/${EARLIER}`, 'allegations')}`);
	expect(Number((await page.locator('[data-col="n"]').textContent())!.replace(/\D/g, ''))).toBe(n);

	await page.goto('/data/?release=0.0.9');
	const err = page.locator('[data-pin-error]');
	await expect(err).toContainText('release=0.0.9');
	await expect(err).toContainText(`${EARLIER}, ${CURRENT}`);
	await expect(page.locator('[data-apa]')).toContainText(`(Version ${CURRENT}) [Data set]`);
});

test('a link pins the earlier release on the dashboard: its charts, source lines and filter changes', async ({ page }) => {
	test.setTimeout(90_000);
	// Allegations by report year in each release, counted by an engine of the test's own.
	const byYear = async (dir: string) => {
		const conn = await (await DuckDBInstance.create(':memory:')).connect();
		const reader = await conn.runAndReadAll(`SELECT report_year AS y, count(*)::INTEGER AS n FROM ${file(dir, 'allegations')} WHERE report_year IS NOT NULL GROUP BY 1 ORDER BY 1`);
		return new Map((reader.getRowObjectsJS() as { y: number; n: number }[]).map((r) => [String(r.y), r.n]));
	};
	const earlier = await byYear(`build/data/releases/${EARLIER}`);
	const current = await byYear('build/data');
	expect([...earlier]).not.toEqual([...current]); // the pin must matter

	const chartYears = async () => {
		const over = page.locator('[data-chart="allegations-over-time"]');
		await expect(over).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
		const table = over.locator('[data-chart-table]');
		await over.locator('details.table-toggle').evaluate((d) => ((d as HTMLDetailsElement).open = true));
		await expect(table).toHaveAttribute('data-rows', 'rendered');
		return table.evaluate((t) =>
			Array.from(t.querySelectorAll('tbody tr')).map((tr) => [tr.querySelector('[data-key="period"]')!.getAttribute('data-value')!, Number(tr.querySelector('[data-key="count"]')!.getAttribute('data-value'))] as [string, number])
		);
	};

	await page.goto(`/allegations/?release=${EARLIER}`);
	await expect(page.locator(`[data-pinned="${EARLIER}"]`)).toContainText(`You are viewing release ${EARLIER} (current: ${CURRENT}).`);
	await expect(page.locator('[data-chart="allegations-over-time"] [data-chart-source]')).toContainText(`release ${EARLIER}`, { ignoreCase: true });
	await expect.poll(async () => (await chartYears()).filter(([y]) => earlier.has(y)), { timeout: 30_000 }).toEqual([...earlier].filter(([, n]) => n > 0));

	// A filter change keeps the pin in the address and still reads the earlier release.
	const years = [...earlier.keys()];
	await page.locator('select[data-filter="from"]').selectOption(years[2]);
	await expect(page).toHaveURL(new RegExp(`release=${EARLIER.replace(/\./g, '\\.')}`));
	await expect(page).toHaveURL(new RegExp(`from=${years[2]}`));
	await expect.poll(async () => (await chartYears()).filter(([y]) => earlier.has(y)), { timeout: 30_000 }).toEqual([...earlier].filter(([y, n]) => n > 0 && Number(y) >= Number(years[2])));

	// Without the pin, the same page shows the current release.
	await page.goto('/allegations/');
	await expect(page.locator('[data-pinned]')).toHaveCount(0);
	await expect(page.locator('[data-chart="allegations-over-time"] [data-chart-source]')).toContainText(`release ${CURRENT}`, { ignoreCase: true });
});
