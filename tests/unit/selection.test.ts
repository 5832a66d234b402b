/**
 * The selection in words (src/lib/i18n/selection.ts) in en, ru and kk, and the summaries that use
 * it: a filtered summary names its selection and never speaks of the nation.
 */
import { describe, expect, it } from 'vitest';
import { m } from '../../src/lib/paraglide/messages';
import { isNarrowed, selectionLead, selectionText, summaryWithSelection, yearsInWords } from '../../src/lib/i18n/selection';
import { defaultState, parseState, type ViewState } from '../../src/lib/state/view-state';
import { summarise } from '../../src/lib/views/allegations-by-year';
import { tableToCsv } from '../../src/lib/charts/table';
import type { AllegationsByYear } from '../../src/lib/queries/allegations-by-year';

const state = (query: string): ViewState => parseState(new URLSearchParams(query)).state;
const span = { fromYear: 2014, toYear: 2025 };

describe('selectionText', () => {
	it('no filter: Kazakhstan and the data’s years', () => {
		expect(selectionText(defaultState(), 'en', { span })).toBe('Kazakhstan · 2014–2025');
		expect(selectionText(defaultState(), 'ru', { span })).toBe('Казахстан · 2014–2025 гг.');
		expect(selectionText(defaultState(), 'kk', { span })).toBe('Қазақстан · 2014–2025 жж.');
	});

	it('the embed of the issue: one region, an open year range, a rate with its unit', () => {
		const s = state('from=2018&region=KZ-75&measure=per_residents&v=1');
		expect(selectionText(s, 'en', { measure: true })).toBe('Almaty · from 2018 · allegations per 100,000 residents');
		expect(selectionText(s, 'ru', { measure: true })).toBe('Алматы · с 2018 г. · сообщения на 100 000 жителей');
		expect(selectionText(s, 'kk', { measure: true })).toBe('Алматы · 2018 жылдан бастап · 100 000 тұрғынға шаққандағы хабарламалар');
		// With the data's span the range is closed; without `measure` the unit is left to the chart.
		expect(selectionText(s, 'en', { span })).toBe('Almaty · 2018–2025');
		// A count adds nothing: the axis names it.
		expect(selectionText({ ...s, measure: 'count' }, 'en', { measure: true, span })).toBe('Almaty · 2018–2025');
	});

	it('several regions in the nominative, the first letter a capital', () => {
		const s = state('region=KZ-10,KZ-55&from=2019&to=2019');
		// Sorted as the URL encodes them: KZ-10 (Abai), KZ-55 (Pavlodar).
		expect(selectionText(s, 'en')).toBe('Abai, Pavlodar · 2019');
		expect(selectionText(s, 'ru')).toBe('Область Абай, Павлодарская область · 2019 г.');
		expect(selectionText(s, 'kk')).toBe('Абай облысы, Павлодар облысы · 2019 ж.');
	});

	it('many regions: the first four and how many more', () => {
		const s = state('region=KZ-10,KZ-11,KZ-15,KZ-19,KZ-55,KZ-75');
		expect(selectionText(s, 'en')).toBe('Abai, Akmola, Aktobe, Almaty Region and 2 more');
		expect(selectionText(s, 'ru')).toBe('Область Абай, Акмолинская область, Актюбинская область, Алматинская область и ещё 2');
		expect(selectionText(s, 'kk')).toMatch(/ және тағы 2$/);
	});

	it('facility types and authorities: the label agrees in number, labels inside the text in lower case', () => {
		const one = state('ftype=sizo&to=2020');
		expect(selectionText(one, 'en')).toBe('Kazakhstan · up to 2020 · facility type: pre-trial detention centre');
		expect(selectionText(one, 'ru')).toBe('Казахстан · по 2020 г. · тип учреждения: следственный изолятор (СИЗО)');
		expect(selectionText(one, 'kk')).toBe('Қазақстан · 2020 жылға дейін · мекеме түрі: тергеу изоляторы');
		const two = state('ftype=ivs,sizo&auth=knb,mia_police');
		expect(selectionText(two, 'en')).toBe('Kazakhstan · facility types: police temporary detention facility, pre-trial detention centre · authorities: National Security Committee, police (MIA)');
		expect(selectionText(two, 'ru')).toBe('Казахстан · типы учреждений: изолятор временного содержания (ИВС), следственный изолятор (СИЗО) · ведомства: Комитет национальной безопасности, полиция МВД');
		expect(selectionText(two, 'kk')).toMatch(/^Қазақстан · мекеме түрлері: уақытша ұстау изоляторы, тергеу изоляторы · ведомстволар: /);
		expect(selectionText(state('auth=health'), 'ru')).toBe('Казахстан · ведомство: Министерство здравоохранения');
	});

	it('a region fixed by the page wins over the state', () => {
		expect(selectionText(defaultState(), 'ru', { region: 'KZ-55' })).toBe('Павлодарская область');
	});

	it('the years alone', () => {
		expect(yearsInWords(null, null, 'ru')).toBe('');
		expect(yearsInWords(2016, 2016, 'kk')).toBe('2016 ж.');
		expect(yearsInWords(null, 2020, 'kk', span)).toBe('2014–2020 жж.');
	});
});

describe('summaries under a filter', () => {
	// Two regions, three years: the selection's total is the main line.
	const d: AllegationsByYear = {
		years: [2023, 2024, 2025],
		national: [40, 52, 61],
		regions: [{ code: 'KZ-55', counts: [40, 52, 61] }],
		unattributed: [0, 0, 0]
	} as AllegationsByYear;
	const name = (l: string) => (c: string) => (l === 'ru' ? 'Павлодарская область' : l === 'kk' ? 'Павлодар облысы' : 'Pavlodar') + (c ? '' : '');

	for (const locale of ['en', 'ru', 'kk'] as const) {
		it(`${locale}: "/?region=KZ-55" names Pavlodar and does not say national`, () => {
			const s = state('region=KZ-55');
			const text =
				selectionLead(s, locale) +
				' ' +
				summarise(d, name(locale), locale, {
					summary: (p) => m.allegations_by_year_summary_selection(p, { locale }),
					change: (p) => m.allegations_by_year_change(p, { locale })
				});
			expect(text).toContain(locale === 'ru' ? 'Выборка: Павлодарская область.' : locale === 'kk' ? 'Таңдау: Павлодар облысы.' : 'Selection: Pavlodar.');
			expect(text).not.toMatch(/national|nation|по стране|Казахстан|ел бойынша|Қазақстан/i);
			expect(text).toContain('2025');
			expect(text).toContain('61');
		});
	}

	it('the national wording is kept only for the whole country', () => {
		expect(isNarrowed(defaultState())).toBe(false);
		expect(selectionLead(defaultState(), 'en')).toBe('');
		expect(m.allegations_by_year_summary({ k: 2, total: '2', from: '2014', to: '2025', peakYear: '2025', peak: '1', topRegion: 'Almaty', topRegionCount: '1' }, { locale: 'en' })).toContain('national');
		expect(isNarrowed(state('measure=per_residents'))).toBe(false);
		expect(isNarrowed(state('measure=per_residents'), { measure: true })).toBe(true);
	});

	it('a rate summary under a region says which region and which rate', () => {
		const lead = selectionLead(state('from=2018&region=KZ-75&measure=per_residents'), 'en', { measure: true });
		expect(lead).toBe('Selection: Almaty · from 2018 · allegations per 100,000 residents.');
	});
});

describe('CSV carries the selection', () => {
	it('as a last column on every row', () => {
		const csv = tableToCsv({ columns: [{ key: 'y', label: 'Year' }], rows: [{ y: 2024 }, { y: 2025 }] }, { label: 'Selection', value: 'Almaty · 2024–2025' });
		expect(csv).toBe('Year,Selection\r\n2024,Almaty · 2024–2025\r\n2025,Almaty · 2024–2025\r\n');
	});
});

describe('every summary under a filter names the selection (the chart frame)', () => {
	const sum = 'Most findings meet the standard.';
	it('the whole country over the data’s years: the summary as it is', () => {
		expect(summaryWithSelection(sum, selectionText(defaultState(), 'en', { span }), 'en', span)).toBe(sum);
	});
	it('a region filter: led by the selection, in each language', () => {
		const s = state('region=KZ-55&from=2020');
		expect(summaryWithSelection(sum, selectionText(s, 'en', { span }), 'en', span)).toBe('Selection: Pavlodar · 2020–2025. ' + sum);
		expect(summaryWithSelection('Текст.', selectionText(s, 'ru', { span }), 'ru', span)).toBe('Выборка: Павлодарская область · 2020–2025 гг. Текст.');
		expect(summaryWithSelection('Мәтін.', selectionText(s, 'kk', { span }), 'kk', span)).toBe('Таңдау: Павлодар облысы · 2020–2025 жж. Мәтін.');
	});
	it('no second lead when the chart’s own summary starts with it', () => {
		const s = state('region=KZ-75&measure=per_residents');
		const words = selectionText(s, 'en', { measure: true, span });
		const own = selectionLead(s, 'en', { measure: true, span }) + ' The rate was 3.66.';
		expect(summaryWithSelection(own, words, 'en', span)).toBe(own);
	});
});
