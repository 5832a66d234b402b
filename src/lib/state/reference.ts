/**
 * Reference data committed in data/ (codes with en/ru/kk labels, regions, key dates), for labels,
 * whitelists and the tile map. Imported at build time; no request at run time.
 */
import codesJson from '$data/codes.json';
import eventsJson from '$data/events.json';
import dictionaryJson from '$data/dictionary.json';
import regionsCsv from '$data/regions.csv?raw';
import { hasOwn, own } from './own';
import { inSentence, isProperName } from '$lib/i18n/sentence';

export type Locale = 'en' | 'ru' | 'kk';
type Localised = { en: string; ru: string; kk: string };

export interface CodeInfo extends Localised {
	definition?: Localised;
	unit?: string;
	standard?: Localised;
	un_grade?: string;
}

export type CodeDomain = keyof typeof codesJson;

/** The locale if the labels have it (an own key), else English. */
function inLocale(labels: Localised, locale: string): Locale {
	return hasOwn(labels, locale) ? (locale as Locale) : 'en';
}
export const codes = codesJson as unknown as Record<CodeDomain, Record<string, CodeInfo>>;

export function codeList(domain: CodeDomain): string[] {
	return Object.keys(own(codes, domain) ?? {});
}

export function label(domain: CodeDomain, code: string | null | undefined, locale: string): string {
	if (code == null) return '–';
	const list = own(codes, domain);
	const info = list && own(list, code);
	return info ? info[inLocale(info, locale)] : code;
}

/** A code's label as it stands inside a sentence (lower-case start unless an abbreviation or a proper name). */
export function sentenceLabel(domain: CodeDomain, code: string | null | undefined, locale: string): string {
	if (code == null) return '–';
	const info = own(codes, domain) && own(own(codes, domain)!, code);
	return inSentence(label(domain, code, locale), info ? isProperName(info.en) : false);
}

export function definition(domain: CodeDomain, code: string, locale: string): string {
	const list = own(codes, domain);
	const d = list && own(list, code)?.definition;
	return d ? d[inLocale(d, locale)] : '';
}

const described = dictionaryJson as unknown as { tables: Record<string, Localised>; fields: Record<string, Localised> };

/** A released table's or column's description in the locale (data/dictionary.json), or undefined if it has none. */
export function describe(kind: 'tables' | 'fields', name: string, locale: string): string | undefined {
	const d = own(described[kind], name);
	return d ? d[inLocale(d, locale)] : undefined;
}

export interface RegionInfo {
	code: string;
	name: Localised;
	kind: 'region' | 'city';
	population2023: number;
	predecessor: string | null;
	/** ISO date the unit began as a first-level unit, if after 2014 (Abai, Zhetysu, Ulytau, Shymkent). */
	created: string | null;
	row: number;
	col: number;
}

function parseRegions(csv: string): RegionInfo[] {
	const [header, ...lines] = csv.trim().split(/\r?\n/);
	const cols = header.split(',');
	return lines.map((line) => {
		const v = Object.fromEntries(line.split(',').map((x, i) => [cols[i], x.trim()]));
		return {
			code: v.region_code,
			name: { en: v.name_en, ru: v.name_ru, kk: v.name_kk },
			kind: v.kind as 'region' | 'city',
			population2023: Number(v.population_2023),
			predecessor: v.predecessor || null,
			created: v.created || null,
			row: Number(v.tile_row),
			col: Number(v.tile_col)
		};
	});
}

export const regions: RegionInfo[] = parseRegions(regionsCsv);
export const regionByCode = new Map(regions.map((r) => [r.code, r]));
export const REGION_CODES = regions.map((r) => r.code);

export function regionLabel(code: string | null | undefined, locale: string): string {
	if (code == null) return '–';
	const r = regionByCode.get(code);
	return r ? r.name[inLocale(r.name, locale)] : code;
}

/** The first year a unit existed for the whole year; before it, its series is "not applicable". */
export function firstFullYear(code: string): number | null {
	const created = regionByCode.get(code)?.created;
	if (!created) return null;
	const [y, m, d] = created.split('-').map(Number);
	return m === 1 && d === 1 ? y : y + 1;
}

export interface KeyEvent extends Localised {
	date: string;
	precision: 'day' | 'month' | 'year';
}
export const keyEvents = eventsJson as KeyEvent[];

export function eventLabel(e: KeyEvent, locale: string): string {
	return e[inLocale(e, locale)];
}
