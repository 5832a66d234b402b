/**
 * The actions a chart frame offers (export, embed) come in from outside the chart layer: the
 * site's layout provides a component, ChartFrame renders it in its actions area. So `charts/`
 * knows nothing of the portal or the embeds (a unit test keeps it so), and a chart drawn
 * elsewhere (a test, a print) simply has no actions.
 */
import { getContext, setContext, type Component } from 'svelte';

export interface ChartActionProps {
	id: string;
	title: string;
	/** The selection in words and the chart's definition: the export's subtitle. */
	definition: string;
	/** The source line with the release. */
	source: string;
	/** The frame element, for exports. */
	frame: () => HTMLElement | undefined;
}

const KEY = Symbol('chart-actions');

export function provideChartActions(actions: Component<ChartActionProps>): void {
	setContext(KEY, actions);
}

export function chartActions(): Component<ChartActionProps> | undefined {
	return getContext<Component<ChartActionProps> | undefined>(KEY);
}
