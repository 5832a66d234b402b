import type { PageLoad } from './$types';
import { EMBED_REGISTRY } from '$lib/embed/registry';

// Runs at build time and again in the browser before hydration: only this chart's component is
// downloaded, not the code of every embeddable chart.
export const load: PageLoad = async ({ data }) => ({ ...data, View: (await EMBED_REGISTRY[data.chart].view()).default });
