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
	/** What was withheld from the visits table to keep capacity in its band. */
	visits?: { detainees_present_withheld: number; visits: number; detainees_present_missing: number };
}

export const sum = (o: Record<string, number> | undefined) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
