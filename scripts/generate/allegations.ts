/**
 * Allegations of torture and ill-treatment, streamed month by month. Scale 1 gives 10,000 rows over
 * 2014-2025; scale S gives 10,000 x S (S = 1000 -> ~10 million rows) without holding them in memory.
 * Volume by year follows the anchors (hundreds a year, a surge in January 2022 concentrated in Almaty
 * and the south); outcomes keep court cases under 5%.
 */
import type { Rng } from '../lib/rng.ts';
import { WeightedSampler } from '../lib/rng.ts';
import { type Facility, type FacilityType, FIRST_YEAR, LAST_YEAR, isOpen } from './world.ts';
import { addDays, daysInMonth, isoDate, spellCode, spellDate } from './spelling.ts';
import { description, personName } from './people.ts';
import { DATA_END } from './activity.ts';
import type { CsvWriter } from './writers.ts';

export const ALLEGATIONS_AT_SCALE_1 = 10_000;

const PER_YEAR: Record<number, number> = {
	2014: 700, 2015: 740, 2016: 760, 2017: 780, 2018: 800, 2019: 880, 2020: 790, 2021: 720, 2022: 1350, 2023: 830, 2024: 800, 2025: 850
};

/** Month weights; January-March 2022 carry the surge after the January events. */
function monthWeights(year: number): number[] {
	const w = Array(12).fill(1);
	if (year === 2022) {
		w[0] = 7;
		w[1] = 2.2;
		w[2] = 1.3;
	}
	if (year === 2020) w[3] = w[4] = 0.7;
	return w;
}

const TYPE_WEIGHT: Record<FacilityType, number> = {
	ivs: 3, penal_colony: 2.6, sizo: 2.2, special_reception: 0.6, reception_distribution: 0.25, juvenile_centre: 0.5, psychiatric: 0.6, social_care: 0.35, military_guardhouse: 0.6
};
/** Where the January 2022 events were: Almaty, Almaty Region, Zhetysu, Zhambyl, Shymkent, Mangystau, Aktobe. */
const SURGE_REGIONS: Record<string, number> = { 'KZ-75': 14, 'KZ-19': 7, 'KZ-33': 5, 'KZ-31': 4, 'KZ-79': 3, 'KZ-47': 4, 'KZ-15': 2, 'KZ-71': 1.5 };

type Weights = Record<string, number>;
const POLICE_TYPES: Weights = { torture: 18, cidt: 14, excessive_force: 18, coerced_confession: 14, safeguards_denied: 15, threats_reprisals: 8, medical_denial: 4, sexual: 2, inhuman_conditions: 5, death_in_custody: 1, peer_violence: 1 };
const PENAL_TYPES: Weights = { torture: 12, cidt: 15, excessive_force: 12, threats_reprisals: 12, peer_violence: 12, medical_denial: 12, solitary: 8, sexual: 2, inhuman_conditions: 12, death_in_custody: 2, safeguards_denied: 1, coerced_confession: 2 };
const CARE_TYPES: Weights = { cidt: 25, medical_denial: 20, inhuman_conditions: 25, solitary: 10, excessive_force: 10, sexual: 3, death_in_custody: 4, threats_reprisals: 3 };
const JUVENILE_TYPES: Weights = { cidt: 30, peer_violence: 25, threats_reprisals: 15, excessive_force: 15, inhuman_conditions: 10, sexual: 5 };
const MILITARY_TYPES: Weights = { cidt: 30, peer_violence: 35, excessive_force: 15, torture: 10, threats_reprisals: 10 };
const SURGE_TYPES: Weights = { torture: 35, excessive_force: 25, cidt: 15, coerced_confession: 15, safeguards_denied: 10 };

function allegationTypes(type: FacilityType): Weights {
	switch (type) {
		case 'ivs':
		case 'special_reception':
		case 'reception_distribution':
			return POLICE_TYPES;
		case 'penal_colony':
		case 'sizo':
			return PENAL_TYPES;
		case 'psychiatric':
		case 'social_care':
			return CARE_TYPES;
		case 'juvenile_centre':
			return JUVENILE_TYPES;
		default:
			return MILITARY_TYPES;
	}
}

function perpetrator(rng: Rng, f: Facility, allegation: string, surge: boolean): string {
	if (allegation === 'peer_violence') return rng.chance(0.9) ? 'co_detainees' : 'unknown';
	if (surge) return rng.weighted({ police: 70, knb: 22, military: 3, unknown: 5 });
	switch (f.type) {
		case 'ivs':
		case 'special_reception':
		case 'reception_distribution':
			return rng.weighted({ police: 86, knb: 4, anti_corruption: 3, unknown: 7 });
		case 'penal_colony':
			return rng.weighted({ penal_staff: 82, co_detainees: 6, unknown: 12 });
		case 'sizo':
			return f.authority === 'knb' ? rng.weighted({ knb: 85, unknown: 15 }) : rng.weighted({ penal_staff: 62, police: 18, knb: 6, anti_corruption: 4, unknown: 10 });
		case 'psychiatric':
		case 'social_care':
		case 'juvenile_centre':
			return rng.weighted({ medical_social_staff: 82, co_detainees: 6, unknown: 12 });
		default:
			return rng.weighted({ military: 85, unknown: 15 });
	}
}

function outcome(rng: Rng, year: number): string {
	if (year >= 2024) return rng.weighted({ registered: 30, under_investigation: 22, closed_no_crime: 45, sent_to_court: 2, conviction: 0.8, acquittal: 0.2 });
	return rng.weighted({ registered: 10, under_investigation: 8, closed_no_crime: 78, sent_to_court: 1.3, conviction: 2.2, acquittal: 0.5 });
}

function victimAge(rng: Rng, f: Facility): number {
	if (f.type === 'juvenile_centre' || f.security === 'juvenile') return rng.int(12, 17);
	if (f.type === 'military_guardhouse') return rng.int(18, 27);
	if (f.type === 'social_care' || f.type === 'psychiatric') return rng.int(18, 85);
	if (rng.chance(0.03)) return rng.int(14, 17);
	return Math.max(18, Math.min(75, Math.round(rng.normal(34, 10))));
}

/** Number of rows for each (year, month) so that the total is exactly round(10,000 x scale). */
export function monthlyCounts(scale: number): { year: number; month: number; count: number }[] {
	const total = Object.values(PER_YEAR).reduce((a, b) => a + b, 0);
	const factor = (ALLEGATIONS_AT_SCALE_1 / total) * scale;
	const out: { year: number; month: number; count: number }[] = [];
	let cumulative = 0;
	let written = 0;
	for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
		const w = monthWeights(year);
		const wSum = w.reduce((a, b) => a + b, 0);
		for (let m = 0; m < 12; m++) {
			cumulative += (PER_YEAR[year] * factor * w[m]) / wSum;
			const count = Math.round(cumulative) - written;
			written += count;
			out.push({ year, month: m + 1, count });
		}
	}
	return out;
}

export const ALLEGATION_HEADER = ['case_code', 'report_date', 'facility_code', 'channel', 'allegation_type', 'perpetrator', 'victim_name', 'victim_birth_date', 'victim_sex', 'description', 'outcome', 'outcome_date'];

export async function writeAllegations(rng: Rng, facilities: Facility[], scale: number, out: CsvWriter): Promise<number> {
	let seq = 0;
	const regionFactor = new Map<string, number>();
	for (const f of facilities) if (!regionFactor.has(f.region)) regionFactor.set(f.region, 0.8 + 0.45 * rng.next());
	for (const { year, month, count } of monthlyCounts(scale)) {
		if (count === 0) continue;
		const open = facilities.filter((f) => isOpen(f, year));
		const surge = year === 2022 && month <= 2;
		const weights = open.map((f) => {
			let w = TYPE_WEIGHT[f.type] * Math.sqrt(f.capacity / 100) * regionFactor.get(f.region)!;
			if (surge && (f.type === 'ivs' || f.type === 'sizo' || f.type === 'special_reception')) w *= SURGE_REGIONS[f.region] ?? 0.6;
			return w;
		});
		const sampler = new WeightedSampler(open, weights);
		const days = daysInMonth(year, month);
		for (let i = 0; i < count; i++) {
			const facility = sampler.draw(rng);
			const day = surge && month === 1 ? rng.int(5, days) : rng.int(1, days);
			const reportDate = isoDate(year, month, day);
			const surgeCase = surge && rng.chance(0.75) && (facility.type === 'ivs' || facility.type === 'sizo' || facility.type === 'special_reception');
			const type = rng.weighted(surgeCase ? SURGE_TYPES : allegationTypes(facility.type));
			const sex = rng.weighted(facility.type === 'social_care' || facility.type === 'psychiatric' ? { male: 60, female: 38, unknown: 2 } : { male: 89, female: 10, unknown: 1 });
			const age = victimAge(rng, facility);
			const birth = addDays(reportDate, -Math.round(age * 365.25) - rng.int(1, 360));
			const name = personName(rng, sex as 'male' | 'female' | 'unknown');
			const result = outcome(rng, year);
			let outcomeDate = result === 'registered' ? '' : addDays(reportDate, rng.int(20, 540));
			if (outcomeDate > DATA_END) outcomeDate = '';
			const channel = rng.weighted<string>(
				facility.type === 'penal_colony' || facility.type === 'sizo'
					? { npm_visit: 14, pmc_visit: 14, ombudsman_complaint: 25, prosecutor_register: 32, ngo_hotline: 15 }
					: { npm_visit: 15, ombudsman_complaint: 27, prosecutor_register: 40, ngo_hotline: 18 }
			);
			seq++;
			await out.row([
				`ЕРДР-${year}${String(seq).padStart(9, '0')}`,
				spellDate(rng, reportDate, 0.2),
				facility.code,
				spellCode(rng, 'channel', channel),
				spellCode(rng, 'allegation_type', type),
				spellCode(rng, 'perpetrator', perpetrator(rng, facility, type, surgeCase)),
				name,
				rng.chance(0.03) ? '' : spellDate(rng, birth, 0.2),
				spellCode(rng, 'victim_sex', sex, 0.3),
				description(rng, name),
				spellCode(rng, 'outcome', result),
				outcomeDate ? spellDate(rng, outcomeDate, 0.2) : ''
			]);
		}
	}
	return seq;
}
