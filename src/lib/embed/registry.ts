/**
 * The embeddable charts: id -> the domain view component, its loader (engine, view state), how the
 * loader's answer becomes the view's props, and its title. The same loader runs at build time on
 * the Node engine (default view in the HTML) and in the browser on every change. One entry per
 * chart; see ids.ts for the full-view pages.
 */
import type { Component } from 'svelte';
import { m } from '$lib/paraglide/messages';
import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import type { UrlState } from '$lib/state/url-state.svelte';
import { REGION_CODES } from '$lib/state/reference';
import { allegationsByYear, allegationYearSpan } from '$lib/queries/allegations-by-year';
import { loadAllegationsView, type AllegationsView } from '$lib/queries/allegations';
import { conditionsHeatmap, conditionsYearSpan, livingSpaceByFacilityType, occupancyByYear } from '$lib/queries/conditions';
import { implementationByYear, loadRecommendationsView, statusBy } from '$lib/queries/recommendations';
import { loadMapValues } from '$lib/queries/overview';
import { loadRegionFunnel } from '$lib/queries/region-funnel';
import { EMBED_CHART_PAGES } from './ids';

export interface EmbedChart<T = unknown> {
	// Views differ in their data props; `props` adapts the loader's answer to them. Loaded on
	// demand (the page's universal load awaits it), so an embed ships only its own chart's code.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	view: () => Promise<{ default: Component<any> }>;
	load: (engine: Engine, state: ViewState) => Promise<T>;
	/** The view's data props for an answer (undefined while loading), and the page's URL state. */
	props: (data: T | undefined, url: UrlState) => Record<string, unknown>;
	title: () => string;
	/** The page with the full view (same view state). */
	page: string;
}

function entry<T>(id: string, e: Omit<EmbedChart<T>, 'page'>): [string, EmbedChart] {
	return [id, { ...e, page: EMBED_CHART_PAGES[id] } as EmbedChart];
}

const allegations = (engine: Engine, state: ViewState) => loadAllegationsView(engine, state);
const byView = (view: AllegationsView | undefined) => ({ view });

export const EMBED_REGISTRY: Record<string, EmbedChart> = Object.fromEntries([
	entry('allegations-by-year', {
		view: () => import('$lib/views/AllegationsByYearChart.svelte'),
		load: async (engine, state) => allegationsByYear(engine, REGION_CODES, await allegationYearSpan(engine), state),
		props: (data, url) => ({ data, url, filtered: url.state.region.length > 0 || url.state.ftype.length > 0 || url.state.auth.length > 0 }),
		title: () => m.allegations_by_year_title()
	}),
	entry('region-map', {
		view: () => import('$lib/views/RegionMap.svelte'),
		load: (engine, state) => loadMapValues(engine, state, state.map),
		props: (values, url) => ({ values, measure: url.state.map, url }),
		title: () => m.dash_map_title()
	}),
	entry('allegations-over-time', { view: () => import('$lib/views/AllegationsOverTimeChart.svelte'), load: allegations, props: byView, title: () => m.alleg_over_time_title() }),
	entry('allegations-by-type', { view: () => import('$lib/views/AllegationsByTypeChart.svelte'), load: allegations, props: byView, title: () => m.alleg_by_type_title() }),
	entry('allegations-by-perpetrator', {
		view: () => import('$lib/views/AllegationsByCategoryChart.svelte'),
		load: allegations,
		props: (view) => ({ view, dimension: 'perpetrator' }),
		title: () => m.alleg_by_perp_title()
	}),
	entry('allegations-by-channel', {
		view: () => import('$lib/views/AllegationsByCategoryChart.svelte'),
		load: allegations,
		props: (view) => ({ view, dimension: 'channel' }),
		title: () => m.alleg_by_channel_title()
	}),
	entry('allegations-outcomes', { view: () => import('$lib/views/AllegationsOutcomesChart.svelte'), load: allegations, props: byView, title: () => m.alleg_outcomes_title() }),
	entry('region-funnel', {
		view: () => import('$lib/views/RegionFunnelChart.svelte'),
		load: loadRegionFunnel,
		props: (data, url) => ({ data, selected: url.state.region }),
		title: () => m.unc_funnel_title()
	}),
	entry('conditions-heatmap', { view: () => import('$lib/views/ConditionsHeatmap.svelte'), load: conditionsHeatmap, props: (cells) => ({ cells }), title: () => m.cond_heatmap_title() }),
	entry('conditions-living-space', {
		view: () => import('$lib/views/LivingSpaceChart.svelte'),
		load: livingSpaceByFacilityType,
		props: (groups) => ({ groups }),
		title: () => m.cond_space_title()
	}),
	entry('conditions-occupancy', {
		view: () => import('$lib/views/OccupancyChart.svelte'),
		load: async (engine, state) => occupancyByYear(engine, state, await conditionsYearSpan(engine)),
		props: (years) => ({ years }),
		title: () => m.cond_occ_title()
	}),
	entry('recommendations-status-by-region', {
		view: () => import('$lib/views/RecommendationStatusChart.svelte'),
		load: (engine, state) => statusBy(engine, 'region', state),
		props: (data, url) => ({ data, by: 'region', url }),
		title: () => m.rec_status_region_title()
	}),
	entry('recommendations-status-by-addressee', {
		view: () => import('$lib/views/RecommendationStatusChart.svelte'),
		load: (engine, state) => statusBy(engine, 'addressee', state),
		props: (data, url) => ({ data, by: 'addressee', url }),
		title: () => m.rec_status_addressee_title()
	}),
	entry('recommendations-implementation-by-year', {
		view: () => import('$lib/views/RecommendationRateByYearChart.svelte'),
		load: implementationByYear,
		props: (data) => ({ data }),
		title: () => m.rec_by_year_title()
	}),
	entry('recommendations-survival', {
		view: () => import('$lib/views/RecommendationSurvivalChart.svelte'),
		load: async (engine, state) => {
			const v = await loadRecommendationsView(engine, state);
			return { survival: v.survival, lastMonth: v.lastMonth };
		},
		props: (d, url) => ({ data: d?.survival, lastMonth: d?.lastMonth, ongroupchange: (km: ViewState['km']) => url.update({ km }) }),
		title: () => m.rec_survival_title()
	}),
	entry('recommendations-oldest-open', {
		view: () => import('$lib/views/OldestOpenChart.svelte'),
		load: async (engine, state) => {
			const v = await loadRecommendationsView(engine, state);
			return { oldestOpen: v.oldestOpen, lastMonth: v.lastMonth };
		},
		props: (d) => ({ data: d?.oldestOpen, lastMonth: d?.lastMonth }),
		title: () => m.rec_oldest_title()
	})
]);
