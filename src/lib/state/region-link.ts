/**
 * A link to a region's page that carries only the view state that page understands: its years,
 * its own filters (REGION_PAGE_LISTS) and its status chart's shares/counts. The rest of the state
 * of the page the link is on (the region filter, the map's measure, a highlighted region, other
 * pages' filters) would have no control there and is left behind.
 */
import { defaultState, stateSearch, type ListFilter, type ViewState } from './view-state';

/** The list filters of a region page's filter bar. */
export const REGION_PAGE_LISTS = ['ftype', 'auth'] as const satisfies readonly ListFilter[];

/** The query string ('' or '?...') of `state` as a region page reads it. */
export function regionPageSearch(state: ViewState): string {
	const kept = defaultState();
	kept.from = state.from;
	kept.to = state.to;
	for (const key of REGION_PAGE_LISTS) kept[key] = [...state[key]];
	kept.addrmode = state.addrmode;
	return stateSearch(kept);
}
