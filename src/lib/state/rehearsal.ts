/**
 * Rehearsals: a view's first answers for a new state run its code cold. V8 interprets a function
 * until it has run enough to be worth compiling, so the first filter changes after a page loads
 * spent 70-110 ms slicing rollups that take 20-30 ms once compiled (measured on the overview).
 * While the page is idle after its views have taken over, each view computes a few states next to
 * the one shown and throws the answers away: the code is compiled before the reader's first change.
 */
import { codeList } from './reference';
import type { ViewState } from './view-state';

/** The states rehearsed next to `state`: a year range and the filter bar's list filters, one at a time. */
export function rehearsalStates(state: ViewState): ViewState[] {
	const first = (domain: 'facility_type' | 'authority') => codeList(domain).slice(0, 1);
	const to = state.to ?? new Date().getFullYear();
	const from = Math.max(state.from ?? to - 6, to - 6);
	return [
		{ ...state, from: from + 1, to },
		{ ...state, ftype: state.ftype.length ? [] : first('facility_type') },
		{ ...state, auth: state.auth.length ? [] : first('authority') },
		{ ...state, from: from + 2, to: to - 1 }
	];
}
