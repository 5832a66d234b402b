/**
 * The view state shared by every chart: its schema, defaults, URL encoding (versioned) and
 * validation. Values from the URL are checked against whitelists here and are never put into SQL
 * text: query modules bind them as parameters.
 */
import { codeList, REGION_CODES, type CodeDomain } from './reference';
import { hasOwn } from './own';

export const STATE_VERSION = 1;
export const YEAR_MIN = 2008;
export const YEAR_MAX = 2100;
const MAX_PARAM_LENGTH = 400;

export const MEASURES = ['count', 'per_detainees', 'per_residents'] as const;
export const PERIODS = ['year', 'quarter'] as const;
export const SURVIVAL_GROUPS = ['addressee', 'priority'] as const;
/** What the tile map is coloured by. */
export const MAP_MEASURES = ['allegations', 'conditions', 'recommendations'] as const;
/** How a chart of stacked bars shows its parts: shares of each bar (100%) or counts. */
export const STACK_MODES = ['share', 'count'] as const;
/** The `hl` value for "no region highlighted" where a page highlights one by default. */
export const HIGHLIGHT_NONE = 'none';

export type Measure = (typeof MEASURES)[number];
export type Period = (typeof PERIODS)[number];
export type SurvivalGroup = (typeof SURVIVAL_GROUPS)[number];
export type MapMeasure = (typeof MAP_MEASURES)[number];
export type StackMode = (typeof STACK_MODES)[number];

/** List filters: URL parameter -> code list it is checked against. */
export const LIST_FILTERS = {
	region: 'region',
	ftype: 'facility_type',
	auth: 'authority',
	atype: 'allegation_type',
	perp: 'perpetrator',
	channel: 'channel',
	ind: 'indicator',
	theme: 'theme',
	addr: 'authority',
	prio: 'priority',
	status: 'status'
} as const satisfies Record<string, CodeDomain | 'region'>;

export type ListFilter = keyof typeof LIST_FILTERS;

export interface ViewState {
	/** First and last year shown; null means the data's own span. */
	from: number | null;
	to: number | null;
	region: string[];
	ftype: string[];
	auth: string[];
	atype: string[];
	perp: string[];
	channel: string[];
	ind: string[];
	theme: string[];
	addr: string[];
	prio: string[];
	status: string[];
	measure: Measure;
	period: Period;
	km: SurvivalGroup;
	map: MapMeasure;
	/**
	 * The region highlighted in the allegations-by-year chart: a region code, HIGHLIGHT_NONE, or
	 * null for the page's own choice (none on the overview, the region itself on a region page).
	 */
	hl: string | null;
	/** The recommendation status charts by region and by addressee: shares or counts. */
	regmode: StackMode;
	addrmode: StackMode;
}

export const DEFAULT_STATE: Readonly<ViewState> = Object.freeze({
	from: null,
	to: null,
	region: [],
	ftype: [],
	auth: [],
	atype: [],
	perp: [],
	channel: [],
	ind: [],
	theme: [],
	addr: [],
	prio: [],
	status: [],
	measure: 'count',
	period: 'year',
	km: 'addressee',
	map: 'allegations',
	hl: null,
	regmode: 'share',
	addrmode: 'share'
});

/**
 * The parts of the state that change only how a chart shows its answer, not the answer: changing
 * them asks the engine nothing (see queryKey).
 */
export const DISPLAY_KEYS = ['hl', 'regmode', 'addrmode'] as const satisfies readonly (keyof ViewState)[];

export function defaultState(): ViewState {
	// A copy with fresh lists (structuredClone took ~2 ms of every filter change on the overview).
	const state = { ...DEFAULT_STATE } as ViewState;
	for (const key of Object.keys(state) as (keyof ViewState)[]) {
		const value = state[key];
		if (Array.isArray(value)) (state as unknown as Record<string, unknown>)[key] = [...value];
	}
	return state;
}

export interface StateNotice {
	param: string;
	/** The offending value, shortened; shown as text, never as HTML. */
	value: string;
	reason: 'unknown_param' | 'unknown_value' | 'invalid' | 'too_long' | 'version';
}

function allowed(filter: ListFilter): Set<string> {
	const domain = LIST_FILTERS[filter];
	return new Set(domain === 'region' ? REGION_CODES : codeList(domain));
}

/** Single-choice parameters and their allowed values. */
const ENUMS = { measure: MEASURES, period: PERIODS, km: SURVIVAL_GROUPS, map: MAP_MEASURES, regmode: STACK_MODES, addrmode: STACK_MODES } as const satisfies Record<string, readonly string[]>;

const short = (s: string) => (s.length > 40 ? s.slice(0, 40) + '…' : s);

function parseYear(raw: string): number | null {
	if (!/^\d{4}$/.test(raw)) return null;
	const y = Number(raw);
	return y >= YEAR_MIN && y <= YEAR_MAX ? y : null;
}

/** URL -> state. Anything unknown or invalid is dropped (the default stays) and reported. */
export function parseState(params: URLSearchParams): { state: ViewState; notices: StateNotice[] } {
	const state = defaultState();
	const notices: StateNotice[] = [];
	const note = (param: string, value: string, reason: StateNotice['reason']) => notices.push({ param: short(param), value: short(value), reason });

	for (const [param, raw] of params) {
		if (raw.length > MAX_PARAM_LENGTH) {
			note(param, raw, 'too_long');
			continue;
		}
		if (param === 'v') {
			if (raw !== String(STATE_VERSION)) note(param, raw, 'version');
		} else if (param === 'from' || param === 'to') {
			const y = parseYear(raw);
			if (y === null) note(param, raw, 'invalid');
			else state[param] = y;
		} else if (param === 'hl') {
			if (raw === HIGHLIGHT_NONE || REGION_CODES.includes(raw)) state.hl = raw;
			else note(param, raw, 'unknown_value');
		} else if (hasOwn(ENUMS, param)) {
			const key = param as keyof typeof ENUMS;
			const options: readonly string[] = ENUMS[key];
			if (options.includes(raw)) (state as unknown as Record<string, string>)[key] = raw;
			else note(param, raw, 'invalid');
		} else if (hasOwn(LIST_FILTERS, param)) {
			const ok = allowed(param as ListFilter);
			const values = raw.split(',').map((s) => s.trim()).filter(Boolean);
			const kept = [...new Set(values.filter((v) => ok.has(v)))];
			for (const v of values) if (!ok.has(v)) note(param, v, 'unknown_value');
			state[param as ListFilter] = kept;
		} else if (!PASS_THROUGH.has(param)) {
			note(param, raw, 'unknown_param');
		}
	}
	if (state.from !== null && state.to !== null && state.from > state.to) {
		note('from', `${state.from}>${state.to}`, 'invalid');
		state.from = null;
		state.to = null;
	}
	return { state, notices };
}

/** Parameters that belong to a page, not to the view state (an embed's colour scheme: scheme=light|dark; the portal's pinned release). */
const PASS_THROUGH = new Set(['scheme', 'release']);

/** State -> URL parameters. Defaults are omitted; `v` is present whenever anything else is. */
export function encodeState(state: ViewState): URLSearchParams {
	const p = new URLSearchParams();
	if (state.from !== null) p.set('from', String(state.from));
	if (state.to !== null) p.set('to', String(state.to));
	for (const key of Object.keys(LIST_FILTERS) as ListFilter[]) {
		if (state[key].length) p.set(key, [...state[key]].sort().join(','));
	}
	for (const key of Object.keys(ENUMS) as (keyof typeof ENUMS)[]) {
		if (state[key] !== DEFAULT_STATE[key]) p.set(key, state[key]);
	}
	if (state.hl !== null) p.set('hl', state.hl);
	if ([...p.keys()].length) p.set('v', String(STATE_VERSION));
	return p;
}

export function stateSearch(state: ViewState): string {
	const s = encodeState(state).toString();
	return s ? '?' + s : '';
}

export function isDefault(state: ViewState): boolean {
	return encodeState(state).toString() === '';
}

/** A stable key for caching answers per state. */
export function stateKey(state: ViewState): string {
	return encodeState(state).toString();
}

/** The key of what the state asks of the data: the state without its display parts ('' for the default). */
export function queryKey(state: ViewState): string {
	const q = { ...state };
	for (const key of DISPLAY_KEYS) (q as Record<string, unknown>)[key] = DEFAULT_STATE[key];
	return stateKey(q);
}
