/**
 * Reading one value as a monitor typed it: dates (dd.mm.yyyy or ISO), numbers (decimal comma or point,
 * spaces as thousands separators), yes/no, regions and codes (any spelling in data/). Each parser
 * returns the normalised value or the text of what was expected, for the error message.
 */
import { codeLookup, codeValues, normaliseKey, regionLookup, type CodeListName } from '../lib/reference.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (problem: string): Parsed<never> => ({ ok: false, problem });

export const EARLIEST_DATE = '2008-01-01';

/** Today's date (UTC, ISO). A parameter so tests can pin it. */
export function todayIso(): string {
	return new Date().toISOString().slice(0, 10);
}

const DMY = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/;
const YMD = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/;

/** Calendar date from dd.mm.yyyy or yyyy-mm-dd (a time part, as Excel sometimes adds, is ignored). */
export function parseCalendarDate(text: string): string | null {
	let d: number, m: number, y: number;
	let match = DMY.exec(text);
	if (match) {
		d = Number(match[1]);
		m = Number(match[2]);
		y = Number(match[3]);
	} else if ((match = YMD.exec(text))) {
		y = Number(match[1]);
		m = Number(match[2]);
		d = Number(match[3]);
	} else return null;
	if (m < 1 || m > 12 || d < 1) return null;
	const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
	if (d > days) return null;
	return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const toDmy = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

export function parseDate(text: string, today: string, earliest = EARLIEST_DATE): Parsed<string> {
	const iso = parseCalendarDate(text);
	if (!iso) return fail('is not a date (expected dd.mm.yyyy or yyyy-mm-dd)');
	if (iso < earliest || iso > today) return fail(`is outside the accepted range (expected a date from ${toDmy(earliest)} to today, ${toDmy(today)})`);
	return ok(iso);
}

/**
 * Whole number; spaces (also no-break) as thousands separators are accepted, "12,0" too. `what`
 * names the counted thing for a value above max ("members of one visiting team").
 */
export function parseInteger(text: string, min?: number, max?: number, what?: string): Parsed<number> {
	const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(/[.,]0+$/, '');
	if (!/^[-+]?\d+$/.test(t)) return fail('is not a whole number (expected digits, e.g. 120)');
	const n = Number(t);
	const range = max !== undefined ? `${min ?? 0} to ${max}${what ? ` ${what}` : ''}` : '';
	if (!Number.isSafeInteger(n) || Math.abs(n) > 9e15) return fail(`is too large${range ? ` (expected ${range})` : ''}`);
	if (min !== undefined && min >= 0 && n < 0) return fail(`is negative (expected ${min === 0 ? 'a count of 0 or more' : `${min} or more`})`);
	if (min !== undefined && n < min) return fail(`is too small (expected ${range || `${min} or more`})`);
	if (max !== undefined && n > max) return fail(what ? `is implausibly large (expected ${range}; check for a typing error or a total)` : `is too large (expected ${max} or less)`);
	return ok(n);
}

/** Decimal number with a point or a comma; never negative (all measured values are >= 0). */
export function parseDecimal(text: string): Parsed<number> {
	const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
	if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return fail('is not a number (expected e.g. 4.5 or 4,5)');
	const n = Number(t);
	if (n < 0) return fail('is negative (expected 0 or more)');
	return ok(n);
}

const TRUE_WORDS = new Set(['да', 'yes', 'y', '1', 'true', 'истина', 'соответствует', 'иә', '+']);
const FALSE_WORDS = new Set(['нет', 'no', 'n', '0', 'false', 'ложь', 'не соответствует', 'жоқ', '-']);

export function parseBool(text: string): Parsed<boolean> {
	const t = normaliseKey(text);
	if (TRUE_WORDS.has(t)) return ok(true);
	if (FALSE_WORDS.has(t)) return ok(false);
	return fail('is not yes/no (expected да/нет, yes/no, 1/0 or true/false)');
}

const regionMap = regionLookup();
export function parseRegion(text: string): Parsed<string> {
	const code = regionMap.get(normaliseKey(text));
	if (code) return ok(code);
	return fail('is not a known region (expected an ISO 3166-2:KZ code such as KZ-75, an old code such as KZ-ALA, or the name in English, Russian or Kazakh; see data/region-aliases.csv)');
}

const codeMaps = new Map<CodeListName, Map<string, string>>();
export function parseCode(list: CodeListName, text: string): Parsed<string> {
	let map = codeMaps.get(list);
	if (!map) {
		map = codeLookup(list);
		codeMaps.set(list, map);
	}
	const code = map.get(normaliseKey(text));
	if (code) return ok(code);
	const values = codeValues(list);
	const listed = values.length > 8 ? values.slice(0, 8).join(', ') + ', ...' : values.join(', ');
	return fail(`is not a known ${list} (expected one of ${listed}, or a Russian or English word or abbreviation for it listed in data/codes.json)`);
}

/** Whole years between two ISO dates (birthdays counted exactly). */
export function ageAt(birthIso: string, atIso: string): number {
	let age = Number(atIso.slice(0, 4)) - Number(birthIso.slice(0, 4));
	if (atIso.slice(5) < birthIso.slice(5)) age--;
	return age;
}

/** Age bands of docs/data-pipeline.md. */
export function ageBand(age: number | null): string {
	if (age === null) return 'unknown';
	if (age < 18) return 'under_18';
	if (age < 25) return '18_24';
	if (age < 35) return '25_34';
	if (age < 50) return '35_49';
	return '50_plus';
}
