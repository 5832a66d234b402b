import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { labelColumnName, labelColumns, splitByTable, withLabelColumns } from '../../src/lib/portal/labels';
import { filteredQuery } from '../../src/lib/portal/tables';
import { dictionary, filterInWords } from '../../src/lib/portal/metadata';
import { parseState } from '../../src/lib/state/view-state';
import type { DataResource } from '../../src/lib/engine/catalog';

/* The expected names come from the source files themselves (data/codes.json, data/regions.csv), read here without the app's code. */
const CODES = JSON.parse(readFileSync('data/codes.json', 'utf8')) as Record<string, Record<string, Record<string, string>>>;
const [head, ...lines] = readFileSync('data/regions.csv', 'utf8').trim().split('\n');
const cols = head.split(',');
const REGIONS = new Map(lines.map((l) => {
	const cells = l.split(',');
	const r = Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
	return [r.region_code, r];
}));
const state = (q: string) => parseState(new URLSearchParams(q)).state;
const LOCALES = ['en', 'ru', 'kk'] as const;

describe('label columns beside the codes', () => {
	it('names: region_code -> region_name, a code column -> its name + _name', () => {
		expect(labelColumnName('region_code')).toBe('region_name');
		expect(labelColumnName('facility_type')).toBe('facility_type_name');
		expect(labelColumnName('predecessor')).toBe('predecessor_name');
	});

	it('every column of codes in the allegations and recommendations tables gets one, right after it', () => {
		const allegations = ['allegation_id', 'report_year', 'report_quarter', 'region_code', 'facility_type', 'authority', 'channel', 'allegation_type', 'perpetrator', 'victim_sex', 'victim_age_band', 'outcome'];
		expect(labelColumns(allegations).map((l) => l.code)).toEqual(['region_code', 'facility_type', 'authority', 'channel', 'allegation_type', 'perpetrator', 'victim_sex', 'victim_age_band', 'outcome']);
		const recs = ['recommendation_id', 'visit_id', 'facility_id', 'region_code', 'facility_type', 'issued_month', 'theme', 'addressee', 'priority', 'status', 'status_month', 'implemented_month'];
		const out = withLabelColumns(recs, [], 'en').columns;
		expect(out).toEqual([
			'recommendation_id', 'visit_id', 'facility_id', 'region_code', 'region_name', 'facility_type', 'facility_type_name', 'issued_month',
			'theme', 'theme_name', 'addressee', 'addressee_name', 'priority', 'priority_name', 'status', 'status_name', 'status_month', 'implemented_month'
		]);
	});

	it('the regions table keeps its own name columns (no region_name); its predecessor gets one', () => {
		expect(labelColumns(['region_code', 'name_en', 'name_ru', 'name_kk', 'kind', 'predecessor']).map((l) => l.name)).toEqual(['predecessor_name']);
	});

	it.each(LOCALES)('values in %s equal data/codes.json and data/regions.csv; no code, no name', (locale) => {
		const rows = [
			{ region_code: 'KZ-75', facility_type: 'sizo', addressee: 'mia_penal', status: 'implemented', n: 1 },
			{ region_code: 'KZ-10', facility_type: 'penal_colony', addressee: null, status: 'rejected', n: 2 }
		];
		const out = withLabelColumns(['region_code', 'facility_type', 'addressee', 'status', 'n'], rows, locale);
		for (const [i, r] of rows.entries()) {
			const got = out.rows[i];
			expect(got.region_name).toBe(REGIONS.get(r.region_code)![`name_${locale}`]);
			expect(got.facility_type_name).toBe(CODES.facility_type[r.facility_type][locale]);
			expect(got.addressee_name).toBe(r.addressee ? CODES.authority[r.addressee][locale] : null);
			expect(got.status_name).toBe(CODES.status[r.status][locale]);
			expect(got.n).toBe(r.n);
			expect(Object.keys(got)).toEqual(['region_code', 'region_name', 'facility_type', 'facility_type_name', 'addressee', 'addressee_name', 'status', 'status_name', 'n']);
		}
	});

	it('the data dictionary lists each label column after its codes, with its description', () => {
		const resource = { name: 'x', path: 'x.parquet', schema: { fields: [{ name: 'id', type: 'string' }, { name: 'status', type: 'string' }] } } as unknown as DataResource;
		const fields = dictionary(resource, 'en', [{ code: 'status', name: 'status_name', description: 'The name of the status code, in English.' }]);
		expect(fields.map((f) => [f.name, f.type])).toEqual([['id', 'string'], ['status', 'string'], ['status_name', 'string']]);
		expect(fields[2].description).toBe('The name of the status code, in English.');
	});
});

describe('which filters a table took', () => {
	const labels = { years: 'Years', all: 'All records', filter: { region: 'Regions', ftype: 'Facility types', auth: 'Authorities', atype: 'Allegation types', perp: 'Perpetrators', channel: 'Channels', ind: 'Indicators', theme: 'Themes', addr: 'Addressees', prio: 'Priorities', status: 'Statuses' } };

	it('region_year has no facility type: the region and years apply, the facility type does not', () => {
		const s = state('region=KZ-75&ftype=sizo&from=2019&v=1');
		const q = filteredQuery('region_year', s);
		expect(q.ignored).toEqual(['ftype']);
		const split = splitByTable(s, q.ignored);
		expect(filterInWords(split.applied, 'en', labels)).toBe('Years: 2019–…; Regions: Almaty');
		expect(filterInWords(split.notApplied!, 'en', labels)).toBe(`Facility types: ${CODES.facility_type.sizo.en}`);
	});

	it('the regions table takes the region filter only: the years and the status are listed as not applied', () => {
		const s = state('region=KZ-75&status=implemented&from=2019&v=1');
		const q = filteredQuery('regions', s);
		const split = splitByTable(s, q.ignored);
		expect(filterInWords(split.applied, 'en', labels)).toBe('Regions: Almaty');
		expect(filterInWords(split.notApplied!, 'en', labels)).toBe(`Years: 2019–…; Statuses: ${CODES.status.implemented.en}`);
	});

	it('recommendation_events has no region: with only a region set, nothing applies', () => {
		const s = state('region=KZ-75&v=1');
		const q = filteredQuery('recommendation_events', s);
		expect(q.ignored).toEqual(['region']);
		const split = splitByTable(s, q.ignored);
		expect(filterInWords(split.applied, 'en', labels)).toBe('All records');
		expect(filterInWords(split.notApplied!, 'en', labels)).toBe('Regions: Almaty');
	});

	it('a table that takes every filter set has nothing not applied, and the state is left as it was', () => {
		const s = state('region=KZ-75&status=implemented&v=1');
		const q = filteredQuery('recommendations', s);
		expect(q.ignored).toEqual([]);
		const split = splitByTable(s, q.ignored);
		expect(split.notApplied).toBeNull();
		expect(split.applied).toEqual(s);
		expect(s.region).toEqual(['KZ-75']);
	});
});
