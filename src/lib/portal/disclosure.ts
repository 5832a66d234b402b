/** The pipeline's disclosure report (static/data/disclosure.json), as the portal summarises it. */
export interface Disclosure {
	created?: string;
	synthetic?: boolean;
	released_rows?: Record<string, number>;
	allegations?: {
		k: number;
		l: number;
		quasi_identifiers: string[];
		sensitive_attribute: string;
		rows_in: number;
		rows_out: number;
		rows_suppressed: number;
		generalised: Record<string, number>;
		suppressed_values: Record<string, number>;
		smallest_class_size: number;
		equivalence_classes: number;
	};
	/** Set when the release was made with --previous: what changed since the release before it. */
	revision?: {
		previous_release: string;
		added: number;
		held_back: number;
		difference: { added_rows: number; removed_rows: number; smallest_class_size: number | null };
	} | null;
	/** What was withheld from the visits table to keep capacity in its band. */
	visits?: { detainees_present_withheld: number; visits: number; detainees_present_missing: number };
}

export const sum = (o: Record<string, number> | undefined) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
