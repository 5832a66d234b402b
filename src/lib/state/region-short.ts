/** Short region names that fit a map tile; full names come from reference.ts. */
export const REGION_SHORT: Record<string, { en: string; ru: string; kk: string }> = {
	'KZ-10': { en: 'Abai', ru: 'Абай', kk: 'Абай' },
	'KZ-11': { en: 'Akmola', ru: 'Акмол.', kk: 'Ақмола' },
	'KZ-15': { en: 'Aktobe', ru: 'Актюб.', kk: 'Ақтөбе' },
	'KZ-19': { en: 'Almaty r.', ru: 'Алмат. о.', kk: 'Алматы о.' },
	'KZ-23': { en: 'Atyrau', ru: 'Атырау', kk: 'Атырау' },
	'KZ-27': { en: 'W. Kaz.', ru: 'ЗКО', kk: 'БҚО' },
	'KZ-31': { en: 'Zhambyl', ru: 'Жамбыл', kk: 'Жамбыл' },
	'KZ-33': { en: 'Zhetysu', ru: 'Жетісу', kk: 'Жетісу' },
	'KZ-35': { en: 'Karaganda', ru: 'Караг.', kk: 'Қарағанды' },
	'KZ-39': { en: 'Kostanay', ru: 'Костан.', kk: 'Қостанай' },
	'KZ-43': { en: 'Kyzylorda', ru: 'Кызылор.', kk: 'Қызылорда' },
	'KZ-47': { en: 'Mangystau', ru: 'Мангист.', kk: 'Маңғыстау' },
	'KZ-55': { en: 'Pavlodar', ru: 'Павлодар', kk: 'Павлодар' },
	'KZ-59': { en: 'N. Kaz.', ru: 'СКО', kk: 'СҚО' },
	'KZ-61': { en: 'Turkistan', ru: 'Туркест.', kk: 'Түркістан' },
	'KZ-62': { en: 'Ulytau', ru: 'Ұлытау', kk: 'Ұлытау' },
	'KZ-63': { en: 'E. Kaz.', ru: 'ВКО', kk: 'ШҚО' },
	'KZ-71': { en: 'Astana', ru: 'Астана', kk: 'Астана' },
	'KZ-75': { en: 'Almaty', ru: 'Алматы', kk: 'Алматы' },
	'KZ-79': { en: 'Shymkent', ru: 'Шымкент', kk: 'Шымкент' }
};
