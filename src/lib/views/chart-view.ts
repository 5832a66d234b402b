/** The load state a page passes to each chart view, which hands it on to ChartFrame. */
export interface ChartViewState {
	status: 'loading' | 'ready' | 'error';
	error?: string;
	updating?: boolean;
	onretry?: () => void;
}
