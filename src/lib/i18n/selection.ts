/**
 * The current selection in words, per language: regions (or Kazakhstan when none is selected),
 * years, facility types, authorities and, for charts that follow the measure, a rate with its unit.
 * Shown as the subtitle of every chart frame, in table captions, CSV exports, embeds and at the
 * head of a filtered chart's summary.
 *
 * Parts are nominative phrases joined by " · " (no preposition governs a region's name, so
 * Russian and Kazakh need no case forms); a label before a list agrees in number with the list.
 */
import { m } from '$lib/paraglide/messages';
import { regionLabel, sentenceLabel } from '$lib/state/reference';
import { defaultState, type Measure, type ViewState } from '$lib/state/view-state';

type Lang = 'en' | 'ru' | 'kk';

export type SelectionState = Pick<ViewState, 'from' | 'to' | 'region' | 'ftype' | 'auth'> & { measure?: Measure };

export interface SelectionOptions {
	/** The data's own years, used when the state leaves a bound open. */
	span?: { fromYear: number; toYear: number };
	/** Name the measure (charts whose values follow the view state's measure). */
	measure?: boolean;
	/** A fixed region (a region page or a region's embed), whatever the state says. */
	region?: string | null;
	/** Names listed before "and N more". */
	maxNames?: number;
}

const SEP = ' · ';

function lang(locale: string): Lang {
	return locale === 'ru' || locale === 'kk' ? locale : 'en';
}

function list(names: string[], locale: Lang, max: number): string {
	if (names.length <= max) return names.join(', ');
	return names.slice(0, max).join(', ') + ' ' + m.selection_more({ n: String(names.length - max) }, { locale });
}

/** The years part: "2018–2025", "2018 г.", "с 2018 г." ... or '' when nothing bounds them. */
export function yearsInWords(from: number | null, to: number | null, locale: string, span?: SelectionOptions['span']): string {
	const l = lang(locale);
	const a = from ?? span?.fromYear ?? null;
	const b = to ?? span?.toYear ?? null;
	if (a !== null && b !== null) return a === b ? m.selection_year({ year: String(a) }, { locale: l }) : m.selection_years({ from: String(a), to: String(b) }, { locale: l });
	if (a !== null) return m.selection_years_from({ year: String(a) }, { locale: l });
	if (b !== null) return m.selection_years_to({ year: String(b) }, { locale: l });
	return '';
}

/** The unit of a measure in words ("allegations per 100,000 residents"). */
export function measureInWords(measure: Measure, locale: string): string {
	const l = lang(locale);
	if (measure === 'per_residents') return m.selection_measure_residents({}, { locale: l });
	if (measure === 'per_detainees') return m.selection_measure_detainees({}, { locale: l });
	return m.selection_measure_count({}, { locale: l });
}

/** True when the selection names regions (so a summary must not speak of the nation). */
export function isRegional(state: Pick<ViewState, 'region'>, options: Pick<SelectionOptions, 'region'> = {}): boolean {
	return !!options.region || state.region.length > 0;
}

/** True when anything narrows the data or changes the measure: a filtered summary names the selection. */
export function isNarrowed(state: SelectionState, options: Pick<SelectionOptions, 'region' | 'measure'> = {}): boolean {
	return (
		isRegional(state, options) ||
		state.from !== null ||
		state.to !== null ||
		state.ftype.length > 0 ||
		state.auth.length > 0 ||
		(!!options.measure && !!state.measure && state.measure !== 'count')
	);
}

/** The selection in words, e.g. "Almaty · from 2018 · allegations per 100,000 residents". */
export function selectionText(state: SelectionState, locale: string, options: SelectionOptions = {}): string {
	const l = lang(locale);
	const max = options.maxNames ?? 4;
	const parts: string[] = [];
	const regions = options.region ? [options.region] : state.region;
	parts.push(regions.length ? list(regions.map((c) => regionLabel(c, l)), l, max) : m.selection_national({}, { locale: l }));
	const years = yearsInWords(state.from, state.to, l, options.span);
	if (years) parts.push(years);
	if (state.ftype.length) {
		const names = list(state.ftype.map((c) => sentenceLabel('facility_type', c, l)), l, max);
		parts.push(state.ftype.length === 1 ? m.selection_ftype_one({ list: names }, { locale: l }) : m.selection_ftype_many({ list: names }, { locale: l }));
	}
	if (state.auth.length) {
		const names = list(state.auth.map((c) => sentenceLabel('authority', c, l)), l, max);
		parts.push(state.auth.length === 1 ? m.selection_auth_one({ list: names }, { locale: l }) : m.selection_auth_many({ list: names }, { locale: l }));
	}
	// A count needs no unit beyond the chart's axis ("Allegations"); a rate always names its own.
	if (options.measure && state.measure && state.measure !== 'count') parts.push(measureInWords(state.measure, l));
	const text = parts.join(SEP);
	// A list that starts with a lower-case unit name ("область Абай") starts with a capital.
	return text.charAt(0).toLocaleUpperCase(l) + text.slice(1);
}

/** The lead sentence; a selection ending in an abbreviation's point ("2020 г.") does not get a second one. */
function leadOf(selection: string, locale: string): string {
	return m.selection_lead({ selection: selection.replace(/\.$/, '') }, { locale: lang(locale) });
}

/** "Selection: Almaty · from 2018." before a summary, or '' when nothing narrows the view. */
export function selectionLead(state: SelectionState, locale: string, options: SelectionOptions = {}): string {
	if (!isNarrowed(state, options)) return '';
	return leadOf(selectionText(state, locale, options), locale);
}

/** The selection in words of the default view (the whole country over the data's years), remembered per language and span. */
const wholeCountryText = new Map<string, string>();
function wholeCountry(locale: string, span?: SelectionOptions['span']): string {
	const key = `${locale} ${span?.fromYear ?? ''} ${span?.toYear ?? ''}`;
	let text = wholeCountryText.get(key);
	if (text === undefined) wholeCountryText.set(key, (text = selectionText(defaultState(), locale, { span })));
	return text;
}

/**
 * A chart's summary as its frame shows it: led by "Selection: …." when the selection in words is
 * anything but the whole country over the data's years, unless the summary already starts so.
 */
export function summaryWithSelection(summary: string, selection: string, locale: string, span?: SelectionOptions['span']): string {
	if (!summary || !selection || selection === wholeCountry(locale, span)) return summary;
	const lead = leadOf(selection, locale);
	return summary.startsWith(lead) ? summary : `${lead} ${summary}`;
}
