/**
 * One vocabulary per language (src/lib/i18n/glossary.ts): every message file and every label and
 * description in data/ keeps to the agreed term of each concept, the site has one name per
 * language, and docs/glossary.md lists the same terms.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { GLOSSARY, SITE_NAME, type GlossaryLocale, type GlossaryTerm } from '../../src/lib/i18n/glossary';
import { m } from '../../src/lib/paraglide/messages';

const LOCALES: GlossaryLocale[] = ['en', 'ru', 'kk'];

/** Every text of a message (a plain string, or each variant of a plural message). */
function messageTexts(v: unknown): string[] {
	if (typeof v === 'string') return [v];
	if (Array.isArray(v)) return v.flatMap(messageTexts);
	if (v && typeof v === 'object') {
		const o = v as Record<string, unknown>;
		return o.match ? Object.values(o.match as Record<string, string>) : [];
	}
	return [];
}

/** [where, text] for every text in `locale`: messages/**\/<locale>.json and the locale's strings in data/*.json. */
function textsOf(locale: GlossaryLocale): [string, string][] {
	const out: [string, string][] = [];
	const walkDir = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const p = path.join(dir, name);
			if (statSync(p).isDirectory()) walkDir(p);
			else if (name === `${locale}.json`)
				for (const [k, v] of Object.entries(JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>))
					if (!k.startsWith('$')) for (const t of messageTexts(v)) out.push([`${p}:${k}`, t]);
		}
	};
	walkDir('messages');
	const walk = (file: string, o: unknown, at: string) => {
		if (Array.isArray(o)) o.forEach((x, i) => walk(file, x, `${at}[${i}]`));
		else if (o && typeof o === 'object')
			for (const [k, v] of Object.entries(o)) {
				if (k === locale && typeof v === 'string') out.push([`${file}${at}`, v]);
				else walk(file, v, `${at}/${k}`);
			}
	};
	for (const f of ['data/codes.json', 'data/dictionary.json', 'data/events.json']) walk(f, JSON.parse(readFileSync(f, 'utf8')), '');
	return out;
}

/** The forbidden synonyms of `term` in `text` (after removing the allowed phrases). */
function violations(term: GlossaryTerm, locale: GlossaryLocale, text: string): string[] {
	let t = text;
	for (const re of term.allowed?.[locale] ?? []) t = t.replace(re, '');
	return (term.forbidden?.[locale] ?? []).flatMap((re) => (re.test(t) ? [String(re)] : []));
}

describe('the glossary', () => {
	it('names each concept once per language, and every message keeps to it', () => {
		for (const locale of LOCALES) {
			const bad: string[] = [];
			for (const [where, text] of textsOf(locale)) for (const term of GLOSSARY) for (const v of violations(term, locale, text)) bad.push(`${where}: ${term.concept} (${v}) in “${text}”`);
			expect(bad, `${locale}:\n${bad.join('\n')}`).toEqual([]);
		}
	});

	it('the check can fail: it flags the synonyms the issue reported', () => {
		const allegation = GLOSSARY.find((t) => t.concept.startsWith('allegation ('))!;
		expect(violations(allegation, 'ru', 'Заявления о пытках')).not.toEqual([]);
		expect(violations(allegation, 'kk', 'Арыздар')).not.toEqual([]);
		expect(violations(allegation, 'ru', 'Сообщения о пытках')).toEqual([]);
		const visit = GLOSSARY.find((t) => t.concept === 'monitoring visit')!;
		expect(violations(visit, 'ru', 'Первый визит Подкомитета ООН по предупреждению пыток')).toEqual([]);
		expect(violations(visit, 'ru', 'Визиты мониторинга')).not.toEqual([]);
		const pp = GLOSSARY.find((t) => t.concept === 'percentage points')!;
		expect(violations(pp, 'ru', '−22 pp к 2024')).not.toEqual([]);
	});

	it('the site has one name per language: header, embeds and every text that names it', () => {
		const fragment: Record<GlossaryLocale, RegExp> = { en: /detention monitoring/i, ru: /мониторинг мест/i, kk: /орындарының мониторингі/i };
		for (const locale of LOCALES) {
			expect(m.site_title({}, { locale })).toBe(SITE_NAME[locale]);
			expect(m.portal_embed_dashboard_overview({ site: m.site_title({}, { locale }) }, { locale }).startsWith(SITE_NAME[locale])).toBe(true);
			for (const [where, text] of textsOf(locale)) if (fragment[locale].test(text)) expect(text, where).toContain(SITE_NAME[locale]);
		}
	});

	it('percentage points are written in the reader’s language', () => {
		const pp = GLOSSARY.find((t) => t.concept === 'percentage points')!;
		for (const locale of LOCALES) expect(m.unit_pp({ value: '\u221222' }, { locale })).toBe(`\u221222 ${pp[locale]}`);
	});

	it('the data dictionary and the SQL console name column types in the reader’s language', async () => {
		const { typeLabel, TABLE_SCHEMA_TYPES } = await import('../../src/lib/portal/type-label');
		const pkg = JSON.parse(readFileSync('static/data/datapackage.json', 'utf8')) as { resources: { schema: { fields: { type: string }[] } }[] };
		const used = new Set(pkg.resources.flatMap((r) => r.schema.fields.map((f) => f.type)));
		for (const t of used) expect(TABLE_SCHEMA_TYPES, t).toContain(t);
		for (const t of used)
			for (const locale of ['ru', 'kk'] as const) {
				expect(typeLabel(t, locale), `${t} in ${locale}`).not.toMatch(/[a-z]/i);
				expect(typeLabel(t, locale)).not.toBe(typeLabel(t, 'en'));
			}
	});

	it('docs/glossary.md lists every term in every language', () => {
		const doc = readFileSync('docs/glossary.md', 'utf8');
		for (const term of GLOSSARY) for (const locale of LOCALES) expect(doc, `${term.concept} (${locale})`).toContain(term[locale]);
	});
});
