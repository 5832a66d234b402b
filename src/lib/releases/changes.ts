/** changes.json: what changed in a release against the one before it (written by the pipeline, scripts/pipeline/changes.ts; rendered by /data/releases/<version>/). */
export interface PeriodCount {
	/** null: rows whose period is withheld. */
	year: number | null;
	before: number;
	after: number;
}

export interface TableChange {
	table: string;
	before: number | null;
	after: number | null;
	by_year: PeriodCount[];
}

export interface SchemaChange {
	table: string;
	change: 'table_added' | 'table_removed' | 'field_added' | 'field_removed' | 'type_changed';
	field?: string;
	from?: string;
	to?: string;
}

export interface AnonymiserSide {
	k: number;
	l: number;
	rows_in: number;
	rows_out: number;
	rows_suppressed: number;
	generalised: Record<string, number>;
	suppressed_values: Record<string, number>;
	equivalence_classes: number;
	smallest_class_size: number;
}

export interface Changes {
	version: string;
	created: string;
	previous: { version: string; created: string } | null;
	tables: TableChange[];
	/** Allegations by report year and quarter (quarter null: generalised to the year). */
	allegations_by_quarter: { year: number | null; quarter: number | null; before: number; after: number }[];
	revision: {
		corrections_step: boolean;
		added: number;
		held_back: number;
		corrections: { found: number; applied: number; held_back: number; pending: number };
		deletions: { found: number; applied: number; held_back: number; pending: number };
		difference: { added_rows: number; removed_rows: number };
	} | null;
	schema: SchemaChange[];
	anonymiser: { before: AnonymiserSide | null; after: AnonymiserSide };
}

