/**
 * Visits, their findings, the recommendations they lead to and the follow-up of those
 * recommendations. Volumes follow the anchors: NPM visits ~250 in 2014 (from April) to ~485 in 2019,
 * a 2020 dip, 461 in 2023; about 6 recommendations per NPM visit; about 40% implemented.
 */
import type { Rng } from '../lib/rng.ts';
import { WeightedSampler } from '../lib/rng.ts';
import { type Facility, type FacilityType, FIRST_YEAR, LAST_YEAR, isOpen } from './world.ts';
import { addDays, daysInMonth, isoDate } from './spelling.ts';

export const DATA_END = `${LAST_YEAR}-12-31`;

export const NPM_VISITS: Record<number, number> = {
	2014: 250, 2015: 305, 2016: 342, 2017: 398, 2018: 452, 2019: 487, 2020: 331, 2021: 418, 2022: 446, 2023: 461, 2024: 472, 2025: 479
};
const PMC_VISITS_PER_YEAR = 120;

const VISIT_WEIGHT: Record<FacilityType, number> = {
	penal_colony: 4, sizo: 3, ivs: 1.1, special_reception: 1, reception_distribution: 0.8, juvenile_centre: 1.2, psychiatric: 1.2, social_care: 0.6, military_guardhouse: 0.6
};

export interface Visit {
	code: string;
	facility: Facility;
	date: string;
	type: 'planned' | 'special' | 'follow_up';
	body: 'npm' | 'pmc';
	teamSize: number;
	present: number;
}

export interface Finding {
	visit: Visit;
	indicator: string;
	value: number | null;
	meets: boolean;
	notes: string;
}

export interface Recommendation {
	code: string;
	visit: Visit;
	issued: string;
	theme: string;
	addressee: string;
	priority: 'high' | 'medium' | 'low';
	text: string;
}

export interface StatusUpdate {
	recommendation: Recommendation;
	date: string;
	status: string;
	comment: string;
}

/** A day in the year, visits start in April 2014; in 2020 April-June had almost no visits (COVID-19). */
function visitDate(rng: Rng, year: number): string {
	for (;;) {
		const month = rng.int(year === FIRST_YEAR ? 4 : 1, 12);
		if (year === 2020 && month >= 4 && month <= 6 && rng.chance(0.85)) continue;
		return isoDate(year, month, rng.int(1, daysInMonth(year, month)));
	}
}

/** Occupancy by type and year: penal institutions were fuller in 2014 than in 2019-2020. */
function occupancy(rng: Rng, f: Facility, year: number): number {
	const base = f.type === 'penal_colony' || f.type === 'sizo' ? 0.95 - 0.05 * Math.min(6, year - 2014) + (year >= 2021 ? 0.1 : 0) : 0.7;
	return Math.max(0.05, base + rng.normal(0, 0.15));
}

export function buildVisits(rng: Rng, facilities: Facility[]): Visit[] {
	const visits: Visit[] = [];
	for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
		const open = facilities.filter((f) => isOpen(f, year));
		const npm = new WeightedSampler(open, open.map((f) => VISIT_WEIGHT[f.type]));
		const custodial = open.filter((f) => f.type === 'penal_colony' || f.type === 'sizo');
		const plan: ('npm' | 'pmc')[] = [...Array(NPM_VISITS[year]).fill('npm'), ...Array(PMC_VISITS_PER_YEAR).fill('pmc')];
		for (const body of plan) {
			const facility = body === 'npm' ? npm.draw(rng) : rng.pick(custodial);
			const type = year === FIRST_YEAR ? rng.weighted({ planned: 0.85, special: 0.15 }) : rng.weighted({ planned: 0.7, special: 0.15, follow_up: 0.15 });
			visits.push({
				code: '',
				facility,
				date: visitDate(rng, year),
				type,
				body,
				teamSize: body === 'npm' ? rng.int(3, 6) : rng.int(2, 5),
				present: Math.round(facility.capacity * occupancy(rng, facility, year))
			});
		}
	}
	visits.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
	const perYear = new Map<string, number>();
	for (const v of visits) {
		const y = v.date.slice(0, 4);
		const n = (perYear.get(y) ?? 0) + 1;
		perYear.set(y, n);
		v.code = `${v.body === 'npm' ? 'НПМ' : 'ОНК'}-${y}-${String(n).padStart(4, '0')}`;
	}
	return visits;
}

const BOOL_INDICATORS = ['sanitation', 'light_ventilation', 'outdoor_exercise', 'food', 'healthcare_access', 'admission_medical_screening', 'family_contact', 'complaints_mechanism', 'legal_safeguards'];
/** Chance that a boolean indicator meets the standard in 2014; it improves a little each year. */
const BASE_MEETS: Record<string, number> = {
	sanitation: 0.45, light_ventilation: 0.55, outdoor_exercise: 0.6, food: 0.7, healthcare_access: 0.5, admission_medical_screening: 0.55, family_contact: 0.65, complaints_mechanism: 0.35, legal_safeguards: 0.5
};
const NOTES = ['Камеры №2 и №5 без перегородки санузла', 'Со слов осужденного Н., прогулки не проводятся', 'Журнал учета ведется нерегулярно', 'Жалобы передаются через администрацию', 'Видеокамеры в комнате свиданий отсутствуют'];

export function buildFindings(rng: Rng, visits: Visit[]): Finding[] {
	const findings: Finding[] = [];
	for (const visit of visits) {
		const year = Number(visit.date.slice(0, 4));
		const trend = 0.02 * (year - FIRST_YEAR);
		const penal = visit.facility.type === 'penal_colony' || visit.facility.type === 'sizo';
		const note = () => (rng.chance(0.15) ? rng.pick(NOTES) : '');
		const space = Math.max(1.6, rng.normal(3.9 + 0.12 * (year - FIRST_YEAR) + (penal ? -0.3 : 0.4), 1.1));
		findings.push({ visit, indicator: 'living_space_m2', value: Math.round(space * 10) / 10, meets: space >= 4, notes: note() });
		const occ = Math.round((visit.present / visit.facility.capacity) * 100) / 100;
		findings.push({ visit, indicator: 'occupancy_rate', value: occ, meets: occ <= 1, notes: note() });
		const cctv = Math.min(1, Math.max(0, rng.normal(0.45 + 0.045 * (year - FIRST_YEAR), 0.2)));
		findings.push({ visit, indicator: 'cctv_coverage', value: Math.round(cctv * 100) / 100, meets: cctv >= 0.9, notes: note() });
		// PMC visits look at fewer indicators than NPM visits.
		const checked = visit.body === 'npm' ? BOOL_INDICATORS : BOOL_INDICATORS.filter((_, i) => i % 2 === 0);
		for (const indicator of checked) {
			findings.push({ visit, indicator, value: null, meets: rng.chance(Math.min(0.95, BASE_MEETS[indicator] + trend)), notes: note() });
		}
	}
	return findings;
}

const EXTRA_THEMES = ['torture_prevention', 'staff_training', 'documentation'];
const TEXT_START = ['Обеспечить', 'Принять меры по', 'Устранить нарушения:', 'Рассмотреть вопрос о', 'Провести проверку по факту'];

export function buildRecommendations(rng: Rng, visits: Visit[], findings: Finding[]): Recommendation[] {
	const failedByVisit = new Map<Visit, string[]>();
	for (const f of findings) if (!f.meets) (failedByVisit.get(f.visit) ?? failedByVisit.set(f.visit, []).get(f.visit)!).push(f.indicator);
	const recs: Recommendation[] = [];
	let seq = 0;
	for (const visit of visits) {
		const n = visit.body === 'npm' ? rng.poisson(visit.type === 'special' ? 4.5 : 6.6) : rng.poisson(2);
		const failed = failedByVisit.get(visit) ?? [];
		const issued = addDays(visit.date, rng.int(10, 45));
		if (issued > DATA_END) continue;
		for (let i = 0; i < n; i++) {
			const theme = failed.length > 0 && rng.chance(0.75) ? rng.pick(failed) : rng.pick(EXTRA_THEMES);
			seq++;
			recs.push({
				code: `Р-${issued.slice(0, 4)}/${seq}`,
				visit,
				issued,
				theme,
				addressee: rng.chance(0.9) ? visit.facility.authority : rng.pick(['health', 'mia_police', 'mia_penal']),
				priority: rng.weighted({ high: 0.25, medium: 0.5, low: 0.25 }),
				text: `${rng.pick(TEXT_START)} ${theme.replace(/_/g, ' ')} в учреждении ${visit.facility.code}, начальнику учреждения ${rng.pick(['Ахметову', 'Ким', 'Петрову'])} А.Б.`
			});
		}
	}
	return recs;
}

/**
 * How readily each addressee implements, relative to the average (UNDP 2024 and NPM reports: the
 * penal system and social care follow up most, the security services least), and how long each
 * takes. Priority changes the pace: high-priority recommendations are acted on sooner.
 */
const ADDRESSEE_SHARE: Record<string, number> = { mia_penal: 1.0, mia_police: 0.85, knb: 0.55, defence: 0.7, health: 1.1, labour_social: 1.15, education: 1.2 };
const ADDRESSEE_PACE: Record<string, number> = { mia_penal: 1.0, mia_police: 1.3, knb: 2.0, defence: 1.6, health: 0.9, labour_social: 0.85, education: 0.8 };
const PRIORITY_PACE: Record<string, number> = { high: 0.6, medium: 1.0, low: 1.7 };

/** Final status shares: about 40% implemented for recommendations a year or more old. */
function finalStatus(rng: Rng, issued: string, addressee: string): string {
	const ageYears = (Date.parse(DATA_END) - Date.parse(issued)) / (365.25 * 86_400_000);
	const base = ageYears < 1 ? 0.12 + 0.25 * ageYears : ageYears < 2 ? 0.38 : 0.41;
	const implemented = Math.min(0.8, base * (ADDRESSEE_SHARE[addressee] ?? 1));
	const rest = 1 - implemented;
	return rng.weighted({
		implemented,
		partially_implemented: rest * 0.27,
		in_progress: rest * (ageYears < 2 ? 0.25 : 0.1),
		not_started: rest * 0.1,
		rejected: rest * 0.12,
		no_information: rest * (ageYears < 2 ? 0.26 : 0.41)
	});
}

const COMMENTS = ['Письмо ДУИС № 12-3/456 от руководителя', 'Ответ получен, приложены фото', 'Со слов начальника учреждения Ахметова Б.К., работы начаты', ''];

export function buildUpdates(rng: Rng, recs: Recommendation[]): StatusUpdate[] {
	const updates: StatusUpdate[] = [];
	for (const rec of recs) {
		const final = finalStatus(rng, rec.issued, rec.addressee);
		const pace = (ADDRESSEE_PACE[rec.addressee] ?? 1) * (PRIORITY_PACE[rec.priority] ?? 1);
		let path: string[];
		if (final === 'implemented') path = [...(rng.chance(0.6) ? ['in_progress'] : []), ...(rng.chance(0.3) ? ['partially_implemented'] : []), 'implemented'];
		else if (final === 'partially_implemented') path = [...(rng.chance(0.5) ? ['in_progress'] : []), 'partially_implemented'];
		else if (final === 'no_information') path = rng.chance(0.5) ? [] : ['no_information'];
		else path = [final];
		let date = rec.issued;
		for (const status of path) {
			date = addDays(date, Math.round(rng.int(25, 240) * pace));
			if (date > DATA_END) break;
			updates.push({ recommendation: rec, date, status, comment: rng.pick(COMMENTS) });
		}
	}
	return updates;
}
