/**
 * Generated sentences read correctly in en, ru and kk: plural agreement (expected forms chosen
 * here with Intl.PluralRules), no capital in the middle of a sentence, one minus sign (U+2212),
 * and no Russian preposition or oblique-case noun before a region's name.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { m } from '../../src/lib/paraglide/messages';
import { byTypeSummary, categorySummary, overTimeSummary } from '../../src/lib/views/allegations';
import { summarise } from '../../src/lib/views/allegations-by-year';
import { codeList, label, regionLabel, sentenceLabel, codes } from '../../src/lib/state/reference';
import { inSentence, isProperName } from '../../src/lib/i18n/sentence';
import type { OverTime } from '../../src/lib/queries/allegations';

const LOCALES = ['en', 'ru', 'kk'] as const;
type L = (typeof LOCALES)[number];
const COUNTS = [0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 101, 111, 1000];
const cat = (locale: string, n: number) => new Intl.PluralRules(locale).select(n);

describe('plural forms', () => {
	const nouns: Record<'en' | 'ru', { row: Record<string, string>; allegation: Record<string, string> }> = {
		en: { row: { one: 'row', other: 'rows' }, allegation: { one: 'allegation', other: 'allegations' } },
		ru: { row: { one: 'строка', few: 'строки', many: 'строк' }, allegation: { one: 'сообщение', few: 'сообщения', many: 'сообщений' } }
	};
	for (const locale of ['en', 'ru'] as const) {
		it(`${locale}: the count agrees with its noun`, () => {
			for (const n of COUNTS) {
				const rows = m.portal_preview_count_all({ k: n, count: String(n) }, { locale });
				expect(rows, rows).toContain(`${n} ${nouns[locale].row[cat(locale, n)]}`);
				const over = m.alleg_over_time_summary_count({ k: n, total: String(n), from: '2014', to: '2025', peak: '2022', peakValue: '1' }, { locale });
				expect(over, over).toContain(`${n} ${nouns[locale].allegation[cat(locale, n)]}`);
			}
		});
	}
	it('en: "1 rows match; the first 1 are shown" cannot happen', () => {
		expect(m.portal_preview_count_all({ k: 1, count: '1' }, { locale: 'en' })).toBe('1 row matches; it is shown.');
		expect(m.portal_preview_count({ k: 5000, count: '5,000', shown: '100' }, { locale: 'en' })).toBe('5,000 rows match; the first 100 are shown.');
		expect(m.portal_sql_done({ k: 1, rows: '1', seconds: '0.1' }, { locale: 'en' })).toBe('1 row in 0.1 s.');
		expect(m.alleg_note_year_withheld({ k: 1, n: '1' }, { locale: 'en' })).toMatch(/^1 allegation has no year/);
	});
	it('ru: open recommendations and visits agree with their count', () => {
		const forms: Record<string, string> = { one: 'рекомендация', few: 'рекомендации', many: 'рекомендаций' };
		for (const n of COUNTS.filter((x) => x > 0)) {
			const t = m.rec_oldest_summary({ k: n, open: String(n), theme: 'питание', months: '30', medianTheme: 'питание', median: '20' }, { locale: 'ru' });
			expect(t, t).toContain(`${n} ${forms[cat('ru', n)]} высокого приоритета`);
			const v = m.cond_occ_summary({ k: n, lastYear: '2025', lastOver: '10 %', lastN: String(n), firstYear: '2014', firstOver: '20 %' }, { locale: 'ru' });
			expect(v, v).toContain(`из ${n} ${cat('ru', n) === 'one' ? 'посещения' : 'посещений'}`);
		}
		expect(m.rec_status_summary({ k: 1, total: '5', implemented: '1', share: '20%', best: 'a', bestShare: '1', worst: 'b', worstShare: '0' }, { locale: 'en' })).toMatch(/^1 of 5 recommendations is implemented/);
	});
	it('kk: the noun stays singular after a numeral', () => {
		for (const n of COUNTS) expect(m.alleg_over_time_summary_count({ k: n, total: String(n), from: '2014', to: '2025', peak: '2022', peakValue: '1' }, { locale: 'kk' })).toContain(`${n} хабарлама;`);
	});
});

/** A capital letter that starts a word in the middle of a sentence (not after . ! ? or at the start), outside abbreviations. */
const MID_CAPITAL = /(?<![.!?]|^)\s["«(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]/u;

describe('no capital in the middle of a sentence', () => {
	const common = (domain: 'allegation_type' | 'perpetrator' | 'channel') => codeList(domain).filter((c) => !isProperName(label(domain, c, 'en')));
	for (const locale of LOCALES) {
		it(`${locale}: allegations by type and by category`, () => {
			for (const code of common('allegation_type')) {
				const d = { years: [2024, 2025], types: [{ code, counts: [10, 4], total: 14 }] };
				const text = byTypeSummary(d, locale, (c) => sentenceLabel('allegation_type', c, locale), {
					summary: (p) => m.alleg_by_type_summary(p, { locale }),
					change: (p) => m.alleg_by_type_change(p, { locale })
				});
				expect(text, text).not.toMatch(MID_CAPITAL);
			}
			for (const domain of ['perpetrator', 'channel'] as const)
				for (const code of common(domain)) {
					const msg = domain === 'perpetrator' ? m.alleg_by_perp_summary : m.alleg_by_channel_summary;
					const text = categorySummary([{ code, n: 3 }], locale, (c) => sentenceLabel(domain, c, locale), (p) => msg(p, { locale }));
					expect(text, text).not.toMatch(MID_CAPITAL);
				}
		});
	}
	it('the issue’s example: “Чаще всего — жестокое…”, not “Жестокое”', () => {
		const d = { years: [2025], types: [{ code: 'cidt', counts: [5], total: 5 }] };
		const text = byTypeSummary(d, 'ru', (c) => sentenceLabel('allegation_type', c, 'ru'), { summary: (p) => m.alleg_by_type_summary(p, { locale: 'ru' }), change: (p) => m.alleg_by_type_change(p, { locale: 'ru' }) });
		expect(text).toMatch(/^Чаще всего — жестокое/);
	});
	for (const locale of LOCALES)
		it(`${locale}: the region page's comparison (measure names inside the sentence)`, () => {
			const text = m.dash_region_compare_summary(
				{
					region: regionLabel('KZ-75', locale),
					first: `${inSentence(m.dash_region_m_allegations_rate({}, { locale }))} 4.3`,
					firstNational: '4.4',
					second: `${inSentence(m.dash_region_m_standards({}, { locale }))} 65%`,
					secondNational: '65%'
				},
				{ locale }
			);
			expect(text, text).not.toMatch(MID_CAPITAL);
		});
	it('abbreviations and institutions keep their capitals', () => {
		expect(sentenceLabel('channel', 'npm_visit', 'en')).toBe('NPM visit');
		const knb = Object.entries(codes.perpetrator).find(([, v]) => v.en === 'National Security Committee')![0];
		expect(sentenceLabel('perpetrator', knb, 'en')).toBe('National Security Committee');
	});
});

describe('one minus sign', () => {
	const over: OverTime = {
		measure: 'count',
		period: 'year',
		points: [
			{ x: 2024, year: 2024, quarter: null, count: 100, denominator: null, value: 100 },
			{ x: 2025, year: 2025, quarter: null, count: 60, denominator: null, value: 60 }
		],
		quarterWithheld: [],
		yearWithheld: 0
	};
	for (const locale of LOCALES) {
		it(`${locale}: a fall is written with U+2212, never a hyphen-minus`, () => {
			const t = overTimeSummary(over, locale, (p) => String(p.year), {
				count: (p) => m.alleg_over_time_summary_count(p, { locale }),
				rate: (p) => m.alleg_over_time_summary_rate(p, { locale }),
				change: (p) => m.alleg_change(p, { locale })
			});
			expect(t).toContain('\u221240');
			expect(t).not.toMatch(/-\d/);
			const d = { years: [2024, 2025], types: [{ code: 'torture', counts: [30, 24], total: 54 }] }; // both years >= MIN_COUNT_FOR_CHANGE
			const b = byTypeSummary(d, locale, (c) => sentenceLabel('allegation_type', c, locale), {
				summary: (p) => m.alleg_by_type_summary(p, { locale }),
				change: (p) => m.alleg_by_type_change(p, { locale })
			});
			expect(b).toContain('\u22126');
			expect(b).not.toMatch(/-\d/);
		});
	}
});

describe('Russian: a region’s name is never governed by a preposition or an oblique-case noun', () => {
	it('no ru message puts a region placeholder after a preposition or “региона/регионе”', () => {
		const texts: string[] = [];
		for (const file of ['messages/ru.json', 'messages/dashboard/ru.json', 'messages/allegations/ru.json', 'messages/conditions/ru.json', 'messages/recommendations/ru.json', 'messages/portal/ru.json'])
			for (const v of Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)) texts.push(JSON.stringify(v));
		const governed = /(\s(в|во|на|из|по|с|к|для|о|об|от|до|у)|регион[а-я]+|учреждениям)\s\{\w*[Rr]egion\}/u;
		expect(texts.filter((t) => governed.test(t))).toEqual([]);
	});
	it('the by-year summary of “область Жетісу” reads in the nominative', () => {
		const d = { years: [2024, 2025], national: [10, 12], unattributed: [0, 0], regions: [{ code: 'KZ-33', counts: [5, 6] }] };
		const t = summarise(d, (c) => regionLabel(c, 'ru'), 'ru', {
			summary: (p) => m.allegations_by_year_summary(p, { locale: 'ru' }),
			change: (p) => m.allegations_by_year_change(p, { locale: 'ru' })
		});
		expect(t).toContain('— область Жетісу (11)');
		expect(t).not.toContain('в регионе');
		expect(t).toContain('22 сообщения');
	});
	it('kk: a region’s name is not followed by a second “өңір” (“Абай облысы өңірінде”)', () => {
		const d = { years: [2024, 2025], national: [10, 12], unattributed: [0, 0], regions: [{ code: 'KZ-10', counts: [5, 6] }] };
		const t = summarise(d, (c) => regionLabel(c, 'kk'), 'kk', {
			summary: (p) => m.allegations_by_year_summary(p, { locale: 'kk' }),
			change: (p) => m.allegations_by_year_change(p, { locale: 'kk' })
		});
		expect(t).toContain('— Абай облысы (11)');
		expect(t).not.toMatch(/облысы өңір/);
	});
});
