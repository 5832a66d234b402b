/** Invented people for the direct identifiers the pipeline must drop (names and birth dates). */
import type { Rng } from '../lib/rng.ts';

const MALE_FIRST = ['Ерлан', 'Асхат', 'Нурлан', 'Дмитрий', 'Серик', 'Бауыржан', 'Алексей', 'Даурен', 'Ержан', 'Максим', 'Руслан', 'Айдос', 'Тимур', 'Сергей', 'Қанат', 'Әлихан', 'Жандос', 'Виктор', 'Марат', 'Ғалым'];
const FEMALE_FIRST = ['Айгуль', 'Гульнара', 'Елена', 'Динара', 'Сауле', 'Наталья', 'Әсел', 'Жанар', 'Ольга', 'Мадина', 'Айжан', 'Ирина'];
const SURNAMES = ['Ахметов', 'Садыков', 'Иванов', 'Жумабаев', 'Нургалиев', 'Петров', 'Касымов', 'Омаров', 'Сейткали', 'Ким', 'Тулегенов', 'Смагулов', 'Байжанов', 'Кузнецов', 'Искаков', 'Әбдіров', 'Жақыпов', 'Мухаметжанов'];
const PATRONYMS_M = ['Серикович', 'Ерланович', 'Маратович', 'Сергеевич', 'Болатович', 'Қайратұлы', 'Нұрланұлы'];
const PATRONYMS_F = ['Сериковна', 'Ерлановна', 'Маратовна', 'Сергеевна', 'Болатовна', 'Қайратқызы', 'Нұрланқызы'];

function feminine(surname: string): string {
	return /(ов|ев|ин)$/.test(surname) ? surname + 'а' : surname;
}

export function personName(rng: Rng, sex: 'male' | 'female' | 'unknown'): string {
	const female = sex === 'female';
	const first = rng.pick(female ? FEMALE_FIRST : MALE_FIRST);
	const surname = rng.pick(SURNAMES);
	const patronym = rng.pick(female ? PATRONYMS_F : PATRONYMS_M);
	const full = `${female ? feminine(surname) : surname} ${first} ${patronym}`;
	// Some registers hold only initials.
	return rng.chance(0.2) ? `${female ? feminine(surname) : surname} ${first[0]}.${patronym[0]}.` : full;
}

const PLACES = ['в камере', 'при задержании', 'в дежурной части', 'в кабинете оперативника', 'во время обыска', 'в карантинном отделении', 'в ШИЗО', 'при этапировании', 'в прогулочном дворике'];
const ACTS = ['нанесли удары', 'применили спецсредства', 'угрожали расправой', 'не оказали медицинскую помощь', 'заставили подписать признание', 'содержали без постели', 'избили сокамерники', 'не допустили адвоката', 'надели наручники на ночь'];

/** Free-text description, with the kind of details (names, dates, cell numbers) that identify people. */
export function description(rng: Rng, name: string): string {
	const text = `${name.split(' ')[0]} сообщил(а), что ${rng.pick(PLACES)} ${rng.pick(ACTS)}; камера №${rng.int(1, 60)}, тел. +7 7${rng.int(0, 9)}${rng.int(10, 99)} ${rng.int(100, 999)} ${rng.int(10, 99)} ${rng.int(10, 99)}`;
	// Commas, quotes and semicolons inside free text test the CSV quoting on both sides.
	return rng.chance(0.1) ? `${text}. Со слов матери: "боится жаловаться"` : text;
}
