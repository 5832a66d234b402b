/**
 * The invented but plausible world: facilities per region and the people held per region and year.
 * Counts follow published figures (62 penal institutions + 16 SIZO in 2024, ~31 special
 * reception centres, 150-200 IVS, detainees ~63,000 in 2010 falling to ~30,000 and rising to 37,000).
 */
import { loadRegions, type Region } from '../lib/reference.ts';
import type { Rng } from '../lib/rng.ts';

export const FIRST_YEAR = 2014;
export const LAST_YEAR = 2025;
export const POPULATION_FIRST_YEAR = 2010;

export type FacilityType =
	| 'penal_colony'
	| 'sizo'
	| 'ivs'
	| 'special_reception'
	| 'reception_distribution'
	| 'juvenile_centre'
	| 'psychiatric'
	| 'social_care'
	| 'military_guardhouse';

export interface Facility {
	code: string;
	name: string;
	region: string;
	type: FacilityType;
	authority: string;
	security: string | null;
	capacity: number;
	opened: number | null;
	closed: number | null;
}

/** Penal institutions per region: the Karlag heritage puts many in the centre and north. */
const PENAL_PER_REGION: Record<string, number> = {
	'KZ-35': 8, 'KZ-55': 5, 'KZ-63': 5, 'KZ-10': 3, 'KZ-11': 6, 'KZ-39': 5, 'KZ-59': 3, 'KZ-19': 4,
	'KZ-33': 2, 'KZ-31': 4, 'KZ-61': 4, 'KZ-79': 2, 'KZ-43': 2, 'KZ-15': 3, 'KZ-23': 2, 'KZ-27': 3,
	'KZ-47': 2, 'KZ-71': 2, 'KZ-75': 3, 'KZ-62': 2
};
const NO_SIZO = new Set(['KZ-10', 'KZ-33', 'KZ-62', 'KZ-59']);
const GARRISONS = ['KZ-71', 'KZ-75', 'KZ-35', 'KZ-63', 'KZ-19', 'KZ-79', 'KZ-47', 'KZ-15', 'KZ-10', 'KZ-31', 'KZ-55', 'KZ-33'];

const CAPACITY: Record<FacilityType, [number, number]> = {
	penal_colony: [300, 1600],
	sizo: [250, 1500],
	ivs: [10, 80],
	special_reception: [20, 120],
	reception_distribution: [20, 60],
	juvenile_centre: [20, 90],
	psychiatric: [100, 900],
	social_care: [60, 600],
	military_guardhouse: [10, 40]
};

const AUTHORITY: Record<FacilityType, string> = {
	penal_colony: 'mia_penal',
	sizo: 'mia_penal',
	ivs: 'mia_police',
	special_reception: 'mia_police',
	reception_distribution: 'mia_police',
	juvenile_centre: 'education',
	psychiatric: 'health',
	social_care: 'labour_social',
	military_guardhouse: 'defence'
};

const NAME_RU: Record<FacilityType, string> = {
	penal_colony: 'Учреждение',
	sizo: 'Следственный изолятор',
	ivs: 'ИВС',
	special_reception: 'Специальный приемник',
	reception_distribution: 'Приемник-распределитель',
	juvenile_centre: 'Центр адаптации несовершеннолетних',
	psychiatric: 'Психиатрическая больница',
	social_care: 'Медико-социальное учреждение',
	military_guardhouse: 'Гауптвахта'
};

const CODE_PREFIX: Record<FacilityType, string> = {
	penal_colony: 'УИ',
	sizo: 'СИЗО',
	ivs: 'ИВС',
	special_reception: 'СП',
	reception_distribution: 'ПР',
	juvenile_centre: 'ЦАН',
	psychiatric: 'ПБ',
	social_care: 'МСУ',
	military_guardhouse: 'ГВ'
};

/** Count of a population-driven facility type in a region: rate per 100,000 residents, at least min. */
function perPopulation(rng: Rng, region: Region, per100k: number, min: number): number {
	const expected = (region.population_2023 / 100_000) * per100k;
	return Math.max(min, Math.round(expected + rng.normal(0, Math.sqrt(expected) * 0.3)));
}

export function buildFacilities(rng: Rng): Facility[] {
	const facilities: Facility[] = [];
	let closedPenal = 0;
	for (const region of loadRegions()) {
		const num = region.region_code.slice(3);
		let seq = 0;
		const add = (type: FacilityType, extra: Partial<Facility> = {}) => {
			seq++;
			const [lo, hi] = CAPACITY[type];
			const capacity = Math.round(lo + (hi - lo) * Math.pow(rng.next(), 1.4));
			facilities.push({
				code: `${CODE_PREFIX[type]}-${num}/${String(seq).padStart(3, '0')}`,
				name: `${NAME_RU[type]} №${seq} (${region.name_ru})`,
				region: region.region_code,
				type,
				authority: AUTHORITY[type],
				security: null,
				capacity,
				opened: rng.chance(0.85) ? null : rng.int(1950, 2012),
				closed: null,
				...extra
			});
		};
		for (let i = 0; i < PENAL_PER_REGION[region.region_code]; i++) {
			// Eight colonies close between 2015 and 2023, leaving 62 in 2024 (anchor).
			const closes = closedPenal < 8 && rng.chance(0.13);
			if (closes) closedPenal++;
			add('penal_colony', {
				security: rng.weighted({ minimum: 3, medium: 4, maximum: 2.5, extraordinary: 0.4, mixed: 1.2, juvenile: 0.3 }),
				closed: closes ? rng.int(2015, 2023) : null
			});
		}
		if (!NO_SIZO.has(region.region_code)) add('sizo');
		if (region.region_code === 'KZ-71' || region.region_code === 'KZ-75') add('sizo', { authority: 'knb', capacity: rng.int(60, 150) });
		for (let i = perPopulation(rng, region, 0.85, 3); i > 0; i--) add('ivs');
		for (let i = Math.max(1, Math.round(region.population_2023 / 620_000)); i > 0; i--) add('special_reception');
		if (region.population_2023 > 750_000) add('reception_distribution');
		add('juvenile_centre');
		for (let i = Math.max(1, Math.round(region.population_2023 / 900_000)); i > 0; i--) add('psychiatric');
		for (let i = perPopulation(rng, region, 0.5, 2); i > 0; i--) add('social_care');
		if (GARRISONS.includes(region.region_code)) add('military_guardhouse');
	}
	// Top up to exactly eight closures so the 2024 count of penal institutions is 62.
	for (const f of facilities) {
		if (closedPenal >= 8) break;
		if (f.type === 'penal_colony' && f.closed === null) {
			f.closed = rng.int(2015, 2023);
			closedPenal++;
		}
	}
	// A few police cells opened or closed during the period, as happens.
	for (const f of facilities) {
		if (f.type === 'ivs' && rng.chance(0.04)) f.opened = rng.int(2015, 2022);
		else if (f.type === 'ivs' && rng.chance(0.04)) f.closed = rng.int(2016, 2024);
	}
	return facilities;
}

export function isOpen(f: Facility, year: number): boolean {
	return (f.opened === null || f.opened <= year) && (f.closed === null || f.closed > year);
}

/** National number of people held, by year (anchors interpolated). */
const DETAINEES: Record<number, number> = {
	2010: 63000, 2011: 58500, 2012: 53000, 2013: 47500, 2014: 43200, 2015: 40159, 2016: 36100, 2017: 33200,
	2018: 30798, 2019: 30400, 2020: 30000, 2021: 34000, 2022: 35300, 2023: 36200, 2024: 37000, 2025: 36600
};

/** Yearly growth of residents: the big cities grow, the north shrinks. */
const GROWTH: Record<string, number> = { 'KZ-71': 0.035, 'KZ-75': 0.022, 'KZ-79': 0.03, 'KZ-59': -0.009, 'KZ-63': -0.004, 'KZ-11': -0.002, 'KZ-39': -0.004, 'KZ-55': -0.001, 'KZ-35': 0.0, 'KZ-62': -0.003, 'KZ-47': 0.025, 'KZ-61': 0.017 };

export interface PopulationRow {
	region: string;
	year: number;
	residents: number;
	detainees: number;
}

export function buildPopulation(rng: Rng, facilities: Facility[]): PopulationRow[] {
	const rows: PopulationRow[] = [];
	for (let year = POPULATION_FIRST_YEAR; year <= LAST_YEAR; year++) {
		const custodial = facilities.filter((f) => (f.type === 'penal_colony' || f.type === 'sizo') && isOpen(f, year));
		const capacityByRegion = new Map<string, number>();
		for (const f of custodial) capacityByRegion.set(f.region, (capacityByRegion.get(f.region) ?? 0) + f.capacity);
		const totalCapacity = [...capacityByRegion.values()].reduce((a, b) => a + b, 0);
		for (const region of loadRegions()) {
			const growth = GROWTH[region.region_code] ?? 0.012;
			const residents = Math.round(region.population_2023 * Math.pow(1 + growth, year - 2023) * (1 + rng.normal(0, 0.002)));
			const share = (capacityByRegion.get(region.region_code) ?? 0) / totalCapacity;
			const detainees = Math.round(DETAINEES[year] * share * (1 + rng.normal(0, 0.03)));
			rows.push({ region: region.region_code, year, residents, detainees });
		}
	}
	return rows;
}
