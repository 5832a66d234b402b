/**
 * Reference data shared by the generator and the pipeline: regions, region aliases and code lists
 * (data/regions.csv, data/region-aliases.csv, data/codes.json). One place decides how a value a
 * monitor typed is compared with the lists, so generator and pipeline cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data');

export interface Region {
	region_code: string;
	name_en: string;
	name_ru: string;
	name_kk: string;
	kind: 'region' | 'city';
	population_2023: number;
	predecessor: string | null;
	created: string | null;
	tile_row: number;
	tile_col: number;
}

export interface Labels {
	en: string;
	ru: string;
	kk: string;
}

export interface CodeEntry extends Labels {
	definition: Labels;
	/** Spellings monitors use (the demonstration data are written with these). */
	aliases: string[];
	/** Usual short and English forms also accepted on input (m, f, муж, SIZO, n/a, ...); the generator does not use them. */
	abbreviations?: string[];
	unit?: 'm2' | 'share' | 'bool';
	standard?: Labels;
	un_grade?: string;
}

export type CodeListName =
	| 'facility_type'
	| 'authority'
	| 'security_level'
	| 'allegation_type'
	| 'perpetrator'
	| 'channel'
	| 'outcome'
	| 'indicator'
	| 'theme'
	| 'status'
	| 'priority'
	| 'visit_type'
	| 'body'
	| 'victim_sex'
	| 'victim_age_band'
	| 'capacity_band';

export type Codes = Record<CodeListName, Record<string, CodeEntry>>;

/**
 * Normalise a value for comparison: Unicode NFC, lower case, ё -> е, dots dropped, dashes unified,
 * whitespace collapsed. "г. Алматы", "Г.АЛМАТЫ " and "г Алматы" compare equal.
 */
export function normaliseKey(value: string): string {
	return value
		.normalize('NFC')
		.toLowerCase()
		.replace(/ё/g, 'е')
		.replace(/[\u2010-\u2015\u2212]/g, '-')
		.replace(/\./g, ' ')
		.replace(/[\s\u00a0]+/g, ' ')
		.replace(/ ?- ?/g, '-')
		.trim();
}

/** Minimal CSV reader for the small, well-formed reference files in data/ (no quotes used there). */
function readSimpleCsv(path: string): Record<string, string>[] {
	const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
	const header = lines[0].split(',');
	return lines.slice(1).map((line) => {
		const cells = line.split(',');
		return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
	});
}

let regionsCache: Region[] | null = null;
export function loadRegions(): Region[] {
	regionsCache ??= readSimpleCsv(join(DATA_DIR, 'regions.csv')).map((r) => ({
		region_code: r.region_code,
		name_en: r.name_en,
		name_ru: r.name_ru,
		name_kk: r.name_kk,
		kind: r.kind as 'region' | 'city',
		population_2023: Number(r.population_2023),
		predecessor: r.predecessor || null,
		created: r.created || null,
		tile_row: Number(r.tile_row),
		tile_col: Number(r.tile_col)
	}));
	return regionsCache;
}

let aliasesCache: { alias: string; region_code: string }[] | null = null;
export function loadRegionAliases(): { alias: string; region_code: string }[] {
	aliasesCache ??= readSimpleCsv(join(DATA_DIR, 'region-aliases.csv')).map((r) => ({
		alias: r.alias,
		region_code: r.region_code
	}));
	return aliasesCache;
}

/** data/dictionary.json: descriptions of the released tables and columns, in en/ru/kk. */
export interface Dictionary {
	tables: Record<string, Labels3>;
	fields: Record<string, Labels3>;
}
type Labels3 = { en: string; ru: string; kk: string };
let dictionaryCache: Dictionary | null = null;
export function loadDictionary(): Dictionary {
	dictionaryCache ??= JSON.parse(readFileSync(join(DATA_DIR, 'dictionary.json'), 'utf8')) as Dictionary;
	return dictionaryCache;
}

let codesCache: Codes | null = null;
export function loadCodes(): Codes {
	codesCache ??= JSON.parse(readFileSync(join(DATA_DIR, 'codes.json'), 'utf8')) as Codes;
	return codesCache;
}

/** Lookup table normalised spelling -> region code (ISO codes, names in three languages, aliases). */
export function regionLookup(): Map<string, string> {
	const map = new Map<string, string>();
	for (const r of loadRegions()) {
		for (const name of [r.region_code, r.name_en, r.name_ru, r.name_kk]) map.set(normaliseKey(name), r.region_code);
	}
	for (const a of loadRegionAliases()) map.set(normaliseKey(a.alias), a.region_code);
	return map;
}

/** Lookup table normalised spelling -> code for one code list (codes, labels in 3 languages, aliases, abbreviations). */
export function codeLookup(list: CodeListName): Map<string, string> {
	const map = new Map<string, string>();
	for (const [code, entry] of Object.entries(loadCodes()[list])) {
		for (const spelling of [code, entry.en, entry.ru, entry.kk, ...entry.aliases, ...(entry.abbreviations ?? [])]) {
			map.set(normaliseKey(spelling), code);
		}
	}
	return map;
}

export function codeValues(list: CodeListName): string[] {
	return Object.keys(loadCodes()[list]);
}
