/**
 * How monitors write values: a region in one of its spellings, a category as a code or as one of the
 * Russian words in use, dates as dd.mm.yyyy or ISO. The generator draws among these so the pipeline
 * meets the variety it must normalise.
 */
import { loadCodes, loadRegionAliases, loadRegions, type CodeListName } from '../lib/reference.ts';
import type { Rng } from '../lib/rng.ts';
import iconv from 'iconv-lite';

/** Kazakh letters (ә ғ қ ң ө ұ ү һ і) do not exist in Windows-1251: such spellings cannot be in a cp1251 file. */
export function fitsCp1251(text: string): boolean {
	return iconv.decode(iconv.encode(text, 'win1251'), 'win1251') === text;
}

const regionSpellings = new Map<string, string[]>();
for (const r of loadRegions()) regionSpellings.set(r.region_code, [r.region_code, r.name_ru, r.name_ru, r.name_en, r.name_kk]);
for (const a of loadRegionAliases()) regionSpellings.get(a.region_code)!.push(a.alias);

/** A region as some monitor would write it (Russian name most often). */
export function spellRegion(rng: Rng, code: string, cp1251 = false): string {
	const all = regionSpellings.get(code)!;
	const options = cp1251 ? all.filter(fitsCp1251) : all;
	const chosen = rng.chance(0.45) ? options[2] : rng.pick(options);
	// Upper case or stray spaces happen in hand-kept spreadsheets.
	if (rng.chance(0.05)) return ` ${chosen.toUpperCase()}`;
	return chosen;
}

const codeSpellings = new Map<string, string[]>();
function spellingsOf(list: CodeListName, code: string): string[] {
	const key = `${list}:${code}`;
	let options = codeSpellings.get(key);
	if (!options) {
		const entry = loadCodes()[list][code];
		options = [entry.ru, ...entry.aliases];
		codeSpellings.set(key, options);
	}
	return options;
}

/** A category value: the code itself, or a Russian word for it. */
export function spellCode(rng: Rng, list: CodeListName, code: string, shareAsCode = 0.5, cp1251 = false): string {
	if (rng.chance(shareAsCode)) return code;
	const all = spellingsOf(list, code);
	const options = cp1251 ? all.filter(fitsCp1251) : all;
	if (options.length === 0) return code;
	const word = rng.pick(options);
	return rng.chance(0.1) ? word.toUpperCase() : word;
}

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));

/** A date as dd.mm.yyyy (what Excel in a Russian locale writes), sometimes ISO. */
export function spellDate(rng: Rng | null, iso: string, shareIso = 0): string {
	if (rng && shareIso > 0 && rng.chance(shareIso)) return iso;
	return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

export function isoDate(year: number, month: number, day: number): string {
	return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Days since 1970-01-01 for an ISO date (Hinnant's days_from_civil; no Date objects: this runs 10^7 times). */
export function daysFromIso(iso: string): number {
	let y = Number(iso.slice(0, 4));
	const m = Number(iso.slice(5, 7));
	const d = Number(iso.slice(8, 10));
	y -= m <= 2 ? 1 : 0;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/** ISO date for days since 1970-01-01 (Hinnant's civil_from_days). */
export function isoFromDays(days: number): string {
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const m = mp + (mp < 10 ? 3 : -9);
	const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
	return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function addDays(iso: string, days: number): string {
	return isoFromDays(daysFromIso(iso) + days);
}

export function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Russian yes/no as people type it. */
export function spellBool(rng: Rng, value: boolean): string {
	return rng.pick(value ? ['да', 'Да', 'yes', '1', 'true', 'соответствует'] : ['нет', 'Нет', 'no', '0', 'false', 'не соответствует']);
}
