/**
 * One vocabulary per language: the agreed term for each core concept, and the synonyms that may
 * not stand in for it. Every message (messages/**) and every label or description in data/
 * (codes.json, dictionary.json, events.json) keeps to it; tests/unit/glossary.test.ts checks
 * them all. docs/glossary.md is the same table for translators.
 *
 * `forbidden` patterns are tested case-insensitively on each text of the language after the
 * `allowed` phrases (a different sense of a word, e.g. the UN Subcommittee's "визит") are removed.
 */
export type GlossaryLocale = 'en' | 'ru' | 'kk';

export interface GlossaryTerm {
	concept: string;
	en: string;
	ru: string;
	kk: string;
	forbidden?: Partial<Record<GlossaryLocale, RegExp[]>>;
	allowed?: Partial<Record<GlossaryLocale, RegExp[]>>;
	note?: string;
}

/** The site's name, identical in the header, page titles, embeds and exports. */
export const SITE_NAME: Record<GlossaryLocale, string> = {
	en: 'Detention Monitoring Kazakhstan',
	ru: 'Мониторинг мест несвободы в Казахстане',
	kk: 'Қазақстандағы бас бостандығынан айыру орындарының мониторингі'
};

export const GLOSSARY: GlossaryTerm[] = [
	{
		concept: 'site name',
		...SITE_NAME,
		forbidden: { en: [/detention monitoring in kazakhstan/i], ru: [/мониторинг мест лишения свободы/i] }
	},
	{
		concept: 'allegation (of torture or ill-treatment)',
		en: 'allegation',
		ru: 'сообщение',
		kk: 'хабарлама',
		forbidden: { ru: [/заявлени/i], kk: [/арыз/i] },
		note: 'ru "заявление" and kk "арыз" imply a formal statement by the victim; a record may come from a visit, a hotline or a register.'
	},
	{ concept: 'allegation type', en: 'allegation type', ru: 'вид сообщения', kk: 'хабарлама түрі', forbidden: { ru: [/вид(ы|ов)? нарушени/i], kk: [/бұзушылық түр/i] } },
	{ concept: 'alleged perpetrator', en: 'alleged perpetrator', ru: 'предполагаемый исполнитель', kk: 'болжамды орындаушы', forbidden: { ru: [/нарушител/i], kk: [/бұзушы/i] } },
	{ concept: 'ill-treatment', en: 'ill-treatment', ru: 'жестокое обращение', kk: 'қатыгез қарым-қатынас', forbidden: { kk: [/қатыгез қарау/i] } },
	{ concept: 'facility (place of detention)', en: 'facility', ru: 'учреждение', kk: 'мекеме', forbidden: { ru: [/объект/i], kk: [/нысан/i] } },
	{ concept: 'facility type', en: 'facility type', ru: 'тип учреждения', kk: 'мекеме түрі', forbidden: { ru: [/вид(ы|ов)? учреждени/i] } },
	{
		concept: 'monitoring visit',
		en: 'visit',
		ru: 'посещение',
		kk: 'бару',
		forbidden: { ru: [/визит/i], kk: [/сапар/i] },
		allowed: { ru: [/визит Подкомитета ООН/gi], kk: [/кіші комитетінің (алғашқы|екінші) сапары/gi] },
		note: 'The UN Subcommittee on Prevention of Torture makes a "визит"/"сапар"; monitors make visits ("посещение"/"бару").'
	},
	{ concept: 'finding (what a visit found about a standard)', en: 'finding', ru: 'вывод', kk: 'қорытынды', forbidden: { kk: [/стандартқа сәйкес көрсеткіш/i] } },
	{ concept: 'recommendation', en: 'recommendation', ru: 'рекомендация', kk: 'ұсыным', forbidden: { kk: [/ұсыныс/i] } },
	{ concept: 'implemented (recommendation)', en: 'implemented', ru: 'исполнено', kk: 'орындалды', forbidden: { ru: [/выполнен/i] } },
	{ concept: 'issued (recommendation)', en: 'issued', ru: 'вынесено', kk: 'шығарылды', forbidden: { ru: [/выдан/i], kk: [/берілген/i] } },
	{ concept: 'region (first-level unit)', en: 'region', ru: 'регион', kk: 'өңір', forbidden: { ru: [/по области или городу/i], kk: [/облысы немесе қаласы/i] } },
	{ concept: 'authority', en: 'authority', ru: 'ведомство', kk: 'ведомство' },
	{
		concept: 'detainees',
		en: 'detainees',
		ru: 'содержащиеся под стражей',
		kk: 'ұсталғандар',
		forbidden: { ru: [/содержащихся(?! под стражей)/i, /заключённых на/i], kk: [/ұсталған адам/i, /ұсталушы/i] }
	},
	{ concept: 'per 100,000 residents', en: 'per 100,000 residents', ru: 'на 100 000 жителей', kk: '100 000 тұрғынға', forbidden: { ru: [/на 100 000 населения/i], kk: [/100 000 адамға/i] } },
	{ concept: 'percentage points', en: 'pp', ru: 'п. п.', kk: 'п. т.', forbidden: { ru: [/\bpp\b/], kk: [/\bpp\b/] } },
	{ concept: 'withheld (suppressed to protect people)', en: 'withheld', ru: 'скрыто', kk: 'жасырылған', forbidden: { ru: [/подавлен/i], kk: [/жасырын/i] } },
	{ concept: 'chart', en: 'chart', ru: 'график', kk: 'диаграмма', forbidden: { kk: [/график/i] } },
	{ concept: 'key dates', en: 'key dates', ru: 'ключевые даты', kk: 'маңызды күндер', forbidden: { kk: [/негізгі күндер/i] } },
	{ concept: 'arrow keys', en: 'arrow keys', ru: 'клавиши со стрелками', kk: 'бағыт пернелері', forbidden: { kk: [/көрсеткі перне/i] } },
	{
		concept: 'confidence interval (uncertainty of a rate or share)',
		en: 'confidence interval',
		ru: 'доверительный интервал',
		kk: 'сенімділік интервалы',
		forbidden: { ru: [/интервал доверия/i, /доверительн\S* промежут/i], kk: [/сенім аралығ/i, /сенімділік аралығ/i] }
	},
	{ concept: 'National Preventive Mechanism (abbr.)', en: 'NPM', ru: 'НПМ', kk: 'ҰАТ', forbidden: { kk: [/ҰАТО/] } }
];
