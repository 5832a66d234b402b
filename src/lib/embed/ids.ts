/**
 * Which charts and dashboards can be embedded, and where their full view lives. No components
 * here (ChartFrame imports this file; registry.ts adds the views and loaders), so there is no
 * import cycle. Adding a chart: one line here and one entry in registry.ts.
 */
import { REGION_CODES } from '$lib/state/reference';
import { hasOwn } from '$lib/state/own';

export const EMBED_CHART_PAGES: Record<string, string> = {
	'allegations-by-year': '/',
	'region-map': '/',
	'allegations-over-time': '/allegations/',
	'allegations-by-type': '/allegations/',
	'allegations-by-perpetrator': '/allegations/',
	'allegations-by-channel': '/allegations/',
	'allegations-outcomes': '/allegations/',
	'region-funnel': '/allegations/',
	'conditions-heatmap': '/conditions/',
	'conditions-living-space': '/conditions/',
	'conditions-occupancy': '/conditions/',
	'recommendations-status-by-region': '/recommendations/',
	'recommendations-status-by-addressee': '/recommendations/',
	'recommendations-implementation-by-year': '/recommendations/',
	'recommendations-survival': '/recommendations/',
	'recommendations-oldest-open': '/recommendations/'
};

export interface EmbedDashboard {
	page: string;
	charts: string[];
	/** A region profile: the region filter is fixed to this unit. */
	region?: string;
}

const REGION_PROFILE_CHARTS = ['allegations-over-time', 'allegations-outcomes', 'conditions-living-space', 'recommendations-status-by-addressee'];

/** Whole-dashboard embeds: a compact page of several registered charts with the same filters. */
export const EMBED_DASHBOARDS: Record<string, EmbedDashboard> = {
	overview: { page: '/', charts: ['region-map', 'allegations-by-year', 'recommendations-implementation-by-year', 'conditions-heatmap'] },
	allegations: { page: '/allegations/', charts: ['allegations-over-time', 'allegations-by-type', 'allegations-by-perpetrator', 'allegations-by-channel', 'allegations-outcomes'] },
	conditions: { page: '/conditions/', charts: ['conditions-heatmap', 'conditions-living-space', 'conditions-occupancy'] },
	recommendations: {
		page: '/recommendations/',
		charts: ['recommendations-status-by-region', 'recommendations-status-by-addressee', 'recommendations-implementation-by-year', 'recommendations-survival', 'recommendations-oldest-open']
	},
	...Object.fromEntries(REGION_CODES.map((code) => [`region-${code}`, { page: `/regions/${code}/`, charts: REGION_PROFILE_CHARTS, region: code }]))
};

export const isEmbeddable = (id: string): boolean => hasOwn(EMBED_CHART_PAGES, id);

/** Message types posted to the host page. */
export const HEIGHT_MESSAGE = 'kz-npm:height';

/** Default iframe size of the snippet. */
export const SNIPPET_HEIGHT = 560;
