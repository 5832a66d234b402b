/**
 * The committed reference data in data/: regions, region aliases, code lists and key dates. The web
 * app imports these files, and the pipeline normalises monitors' spellings with them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeLookup, loadCodes, loadDictionary, loadRegions, normaliseKey, regionLookup, type CodeListName } from '../../../scripts/lib/reference.ts';
import { ROOT } from './helpers.ts';

describe('regions', () => {
	const regions = loadRegions();
	it('has the 20 units with their kinds, predecessors and tile positions', () => {
		expect(regions).toHaveLength(20);
		expect(regions.filter((r) => r.kind === 'city').map((r) => r.region_code)).toEqual(['KZ-71', 'KZ-75', 'KZ-79']);
		const split = Object.fromEntries(regions.filter((r) => r.predecessor).map((r) => [r.region_code, [r.predecessor, r.created]]));
		expect(split).toEqual({ 'KZ-10': ['KZ-63', '2022-06-08'], 'KZ-33': ['KZ-19', '2022-06-08'], 'KZ-62': ['KZ-35', '2022-06-08'], 'KZ-79': ['KZ-61', '2018-06-19'] });
		const tiles = new Set(regions.map((r) => `${r.tile_row},${r.tile_col}`));
		expect(tiles.size).toBe(20);
		expect(regions.reduce((a, r) => a + r.population_2023, 0)).toBe(19_766_807);
	});

	it('normalises the spellings monitors use', () => {
		const lookup = regionLookup();
		const cases: [string, string][] = [
			['KZ-ALA', 'KZ-75'], ['г. Алматы', 'KZ-75'], ['Г.АЛМАТЫ', 'KZ-75'], ['Алматинская обл.', 'KZ-19'], ['Алматы облысы', 'KZ-19'],
			['Nur-Sultan', 'KZ-71'], ['Нур-Султан', 'KZ-71'], ['Астана', 'KZ-71'], ['Акмола', 'KZ-11'], ['KZ-AKM', 'KZ-11'],
			['KZ-YUZ', 'KZ-61'], ['Южно-Казахстанская область', 'KZ-61'], ['Jetisu', 'KZ-33'], ['Жетысу', 'KZ-33'], ['Жетісу облысы', 'KZ-33'],
			['Ulytau', 'KZ-62'], ['Улытау', 'KZ-62'], ['Ұлытау облысы', 'KZ-62'], ['Abay', 'KZ-10'], ['Абай', 'KZ-10'],
			['ВКО', 'KZ-63'], ['KZ-SHY', 'KZ-79'], ['Шымкент', 'KZ-79'], ['  восточно-казахстанская   область ', 'KZ-63'], ['Алёшкино', '']
		];
		for (const [spelling, code] of cases) expect(lookup.get(normaliseKey(spelling)) ?? '', spelling).toBe(code);
	});

	it('every alias points to one of the 20 codes', () => {
		const codes = new Set(regions.map((r) => r.region_code));
		const lines = readFileSync(join(ROOT, 'data', 'region-aliases.csv'), 'utf8').trim().split('\n');
		expect(lines[0]).toBe('alias,region_code');
		for (const l of lines.slice(1)) expect(codes.has(l.split(',')[1]), l).toBe(true);
	});
});

describe('codes.json', () => {
	const codes = loadCodes();
	const lists = ['facility_type', 'authority', 'security_level', 'allegation_type', 'perpetrator', 'channel', 'outcome', 'indicator', 'theme', 'status', 'priority', 'visit_type', 'body', 'victim_sex', 'victim_age_band', 'capacity_band'];

	it('has every code list with labels and definitions in en, ru and kk', () => {
		expect(Object.keys(codes).sort()).toEqual([...lists].sort());
		for (const [list, entries] of Object.entries(codes)) {
			for (const [code, e] of Object.entries(entries)) {
				for (const lang of ['en', 'ru', 'kk'] as const) {
					expect(e[lang], `${list}.${code}.${lang}`).toBeTruthy();
					expect(e.definition[lang], `${list}.${code}.definition.${lang}`).toBeTruthy();
				}
				expect(Array.isArray(e.aliases)).toBe(true);
			}
		}
		for (const e of Object.values(codes.indicator)) {
			expect(['m2', 'share', 'bool']).toContain(e.unit);
			expect(e.standard?.kk).toBeTruthy();
		}
		expect(Object.fromEntries(Object.entries(codes.status).map(([c, e]) => [c, e.un_grade]))).toEqual({ not_started: 'C', in_progress: 'B/C', partially_implemented: 'B', implemented: 'A', rejected: 'E', no_information: 'D' });
	});

	it('holds the codes of data/codes.json', () => {
		expect(Object.keys(codes.allegation_type)).toHaveLength(12);
		expect(Object.keys(codes.indicator)).toHaveLength(12);
		expect(Object.keys(codes.theme)).toEqual([...Object.keys(codes.indicator), 'torture_prevention', 'staff_training', 'documentation']);
		expect(Object.keys(codes.facility_type)).toEqual(['penal_colony', 'sizo', 'ivs', 'special_reception', 'reception_distribution', 'juvenile_centre', 'psychiatric', 'social_care', 'military_guardhouse']);
	});

	it('Kazakh labels are in Kazakh Cyrillic', () => {
		const kk = Object.values(codes).flatMap((l) => Object.values(l).map((e) => e.kk + ' ' + e.definition.kk)).join(' ');
		for (const letter of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і']) expect(kk).toContain(letter);
	});

	it('no spelling means two codes in the same list', () => {
		for (const list of lists as CodeListName[]) {
			const seen = new Map<string, string>();
			for (const [code, e] of Object.entries(codes[list])) {
				for (const s of [code, e.en, e.ru, e.kk, ...e.aliases, ...(e.abbreviations ?? [])]) {
					const k = normaliseKey(s);
					if (seen.has(k)) expect(seen.get(k), `${list}: "${s}"`).toBe(code);
					seen.set(k, code);
				}
			}
			expect(codeLookup(list).size).toBe(seen.size);
		}
	});
});

describe('events.json', () => {
	it('lists the key dates with labels in three languages', () => {
		const events = JSON.parse(readFileSync(join(ROOT, 'data', 'events.json'), 'utf8')) as { date: string; precision: string; en: string; ru: string; kk: string }[];
		expect(events.length).toBe(9);
		for (const e of events) {
			expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
			expect(['day', 'month', 'year']).toContain(e.precision);
			expect(e.en && e.ru && e.kk).toBeTruthy();
		}
		expect(events.find((e) => e.date === '2022-06-08')?.precision).toBe('day');
	});
});

describe('dictionary.json', () => {
	const dict = loadDictionary();
	const pkg = JSON.parse(readFileSync(join(ROOT, 'static', 'data', 'datapackage.json'), 'utf8')) as {
		resources: { name: string; title: string; schema: { fields: { name: string; description: string }[] } }[];
	};

	it('describes every released table and column in en, ru and kk, and the release carries the English', () => {
		expect(pkg.resources.map((r) => r.name).sort()).toEqual(Object.keys(dict.tables).sort());
		for (const r of pkg.resources) {
			expect(r.title).toBe(dict.tables[r.name].en);
			for (const f of r.schema.fields) {
				const d = dict.fields[f.name];
				expect(d, `${r.name}.${f.name}`).toBeDefined();
				expect(f.description).toBe(d.en);
				for (const l of ['ru', 'kk'] as const) {
					expect(d[l], `${f.name} ${l}`).toMatch(/[а-яё]/i);
					expect(d[l], `${f.name} ${l}`).not.toBe(d.en);
				}
				expect(d.kk, f.name).not.toBe(d.ru);
			}
		}
		const used = new Set(pkg.resources.flatMap((r) => r.schema.fields.map((f) => f.name)));
		expect(Object.keys(dict.fields).filter((f) => !used.has(f))).toEqual([]); // nothing stale
	});

	it('Kazakh descriptions are in Kazakh Cyrillic', () => {
		const kk = Object.values(dict.fields).map((d) => d.kk).join(' ');
		for (const letter of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і']) expect(kk).toContain(letter);
	});
});
