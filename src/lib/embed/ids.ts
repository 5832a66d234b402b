/**
 * Which charts and dashboards can be embedded, and where their full view lives. No components
 * here (ChartFrame imports this file; registry.ts adds the views and loaders), so there is no
 * import cycle. Adding a chart: one line here and one entry in registry.ts.
 */
export const EMBED_CHART_PAGES: Record<string, string> = {
	'allegations-by-year': '/'
};

/** Whole-dashboard embeds: a compact page of several registered charts with the same filters. */
export const EMBED_DASHBOARDS: Record<string, { page: string; charts: string[] }> = {
	overview: { page: '/', charts: ['allegations-by-year'] }
};

export const isEmbeddable = (id: string): boolean => id in EMBED_CHART_PAGES;

/** Message types posted to the host page. */
export const HEIGHT_MESSAGE = 'kz-npm:height';

/** Default iframe size of the snippet. */
export const SNIPPET_HEIGHT = 560;
