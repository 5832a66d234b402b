/**
 * The embeddable charts: id -> the domain view component, its loader (engine, view state) and its
 * title. The same loader runs at build time on the Node engine (default view in the HTML) and in
 * the browser on every change. One entry per chart; see ids.ts for the full-view pages.
 */
import type { Component } from 'svelte';
import { m } from '$lib/paraglide/messages';
import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import { REGION_CODES } from '$lib/state/reference';
import { allegationsByYear, allegationYearSpan } from '$lib/queries/allegations-by-year';
import AllegationsByYearChart from '$lib/views/AllegationsByYearChart.svelte';
import { EMBED_CHART_PAGES } from './ids';

export interface ViewProps<T> {
	data: T | undefined;
	status: 'loading' | 'ready' | 'error';
	error?: string;
	updating?: boolean;
	onretry?: () => void;
}

export interface EmbedChart<T = unknown> {
	view: Component<ViewProps<T>>;
	load: (engine: Engine, state: ViewState) => Promise<T>;
	title: () => string;
	/** The page with the full view (same view state). */
	page: string;
}

function entry<T>(e: Omit<EmbedChart<T>, 'page'> & { id: string }): EmbedChart<unknown> {
	return { view: e.view, load: e.load, title: e.title, page: EMBED_CHART_PAGES[e.id] } as EmbedChart<unknown>;
}

export const EMBED_REGISTRY: Record<string, EmbedChart> = {
	'allegations-by-year': entry({
		id: 'allegations-by-year',
		view: AllegationsByYearChart,
		load: async (engine, state) => allegationsByYear(engine, REGION_CODES, await allegationYearSpan(engine), state),
		title: () => m.allegations_by_year_title()
	})
};
