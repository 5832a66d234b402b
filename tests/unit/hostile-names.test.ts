import { describe, expect, it } from 'vitest';
import { startNodeDuckDB } from '../../src/lib/server/engine-node';
import { arrowToRows } from '../../src/lib/engine/rows';
import { rowsToCsv, rowsToJson, type DataRow } from '../../src/lib/portal/files';
import { codes, definition, describe as describeName, label, regionLabel } from '../../src/lib/state/reference';
import { domainOf } from '../../src/lib/portal/metadata';
import { isEmbeddable } from '../../src/lib/embed/ids';
import { moveCursor2D } from '../../src/lib/charts/keyboard';
import { load as loadChartEmbed } from '../../src/routes/embed/[chart]/+page.server';
import { load as loadDashboardEmbed } from '../../src/routes/embed/dashboard/[page]/+page.server';
import { load as loadRegionPage } from '../../src/routes/regions/[code]/+page.server';

/**
 * Names every plain object inherits. Wherever text from outside (URL, route parameter, key name)
 * is looked up in an object, these must be unknown keys, never Object.prototype's members.
 */
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

describe('reference lookups with Object.prototype names', () => {
	it.each(PROTO_NAMES)('%s is an unknown code, table, region and locale', (name) => {
		// An unknown code shows as itself; an unknown locale falls back to English.
		expect(label('facility_type', name, 'en')).toBe(name);
		expect(definition('indicator', name, 'en')).toBe('');
		expect(regionLabel(name, 'en')).toBe(name);
		expect(describeName('tables', name, 'en')).toBeUndefined();
		expect(label('facility_type', 'sizo', name)).toBe(codes.facility_type.sizo.en);
		expect(regionLabel('KZ-75', name)).toBe('Almaty');
		expect(describeName('tables', 'allegations', name)).toBe(describeName('tables', 'allegations', 'en'));
		expect(domainOf(name)).toBeNull();
		expect(isEmbeddable(name)).toBe(false);
		expect(moveCursor2D(name, { r: 1, c: 1 }, 3, 3)).toBeUndefined();
	});
});

describe('routes with Object.prototype names as their parameter', () => {
	// The built site has no such page; `vite dev` and any server-side rendering run these loads.
	const call = (load: unknown, params: Record<string, string>) => (load as (e: unknown) => Promise<unknown>)({ params });
	it.each(PROTO_NAMES)('%s as the chart, dashboard or region code is a 404', async (name) => {
		await expect(call(loadChartEmbed, { chart: name })).rejects.toMatchObject({ status: 404 });
		await expect(call(loadDashboardEmbed, { page: name })).rejects.toMatchObject({ status: 404 });
		await expect(call(loadRegionPage, { code: name })).rejects.toMatchObject({ status: 404 });
	});
});

describe('console results with Object.prototype names as column names', () => {
	it('keeps every column as an own property, in rows, CSV and JSON', async () => {
		const { db, conn } = await startNodeDuckDB();
		try {
			const sql = `SELECT ${PROTO_NAMES.map((n, i) => `${i + 1} AS "${n}"`).join(', ')}, DATE '2020-01-02' AS "__proto__x"`;
			const [row] = arrowToRows<DataRow>(conn.query(sql));
			expect(Object.keys(row)).toEqual([...PROTO_NAMES, '__proto__x']);
			PROTO_NAMES.forEach((n, i) => expect(Object.getOwnPropertyDescriptor(row, n)?.value, n).toBe(i + 1));
			expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
			expect(row.__proto__x).toBe('2020-01-02');
			expect(rowsToCsv(Object.keys(row), [row]).split('\r\n')[1]).toBe('1,2,3,4,5,6,2020-01-02');
			expect(Object.values(JSON.parse(rowsToJson([row]))[0])).toEqual([1, 2, 3, 4, 5, 6, '2020-01-02']);
		} finally {
			conn.close();
			db.reset();
		}
	});
});
