import { describe, expect, it } from 'vitest';
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
