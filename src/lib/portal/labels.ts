/**
 * Label columns for the downloads: beside each column of codes (region_code, facility_type,
 * status, ...) a column with the code's name in the reader's language (region_name,
 * facility_type_name, status_name), so a file opened in a spreadsheet reads without the data
 * dictionary. Codes stay as they are (they are what joins tables). Pure.
 */
import { label, regionLabel, type CodeDomain } from '$lib/state/reference';
import type { ListFilter, ViewState } from '$lib/state/view-state';
import { defaultState, LIST_FILTERS } from '$lib/state/view-state';
import { hasOwn } from '$lib/state/own';
import { domainOf } from './metadata';
import type { DataRow } from './files';

export interface LabelColumn {
	/** The column of codes. */
	code: string;
	/** The label column written after it. */
	name: string;
	domain: CodeDomain | 'region';
}

/** The label column of a column of codes: region_code -> region_name, status -> status_name. */
export function labelColumnName(code: string): string {
	return code.endsWith('_code') ? code.slice(0, -'_code'.length) + '_name' : code + '_name';
}

/**
 * The label columns for a table's columns. None where the name is taken by a column of the table,
 * and none for the regions table's own code (it has a name column per language).
 */
export function labelColumns(columns: readonly string[]): LabelColumn[] {
	const taken = new Set(columns);
	const out: LabelColumn[] = [];
	for (const code of columns) {
		const domain = domainOf(code);
		const name = labelColumnName(code);
		if (!domain || taken.has(name)) continue;
		if (code === 'region_code' && taken.has('name_en')) continue;
		out.push({ code, name, domain });
	}
	return out;
}

/** The code's name in `locale`; null stays null (no code, no name). */
export function codeName(domain: CodeDomain | 'region', code: unknown, locale: string): string | null {
	if (code == null || code === '') return null;
	return domain === 'region' ? regionLabel(String(code), locale) : label(domain, String(code), locale);
}

/** Columns and rows with each label column right after its column of codes. */
export function withLabelColumns(columns: readonly string[], rows: readonly DataRow[], locale: string): { columns: string[]; rows: DataRow[]; added: LabelColumn[] } {
	const added = labelColumns(columns);
	if (!added.length) return { columns: [...columns], rows: [...rows], added };
	const after = new Map(added.map((l) => [l.code, l]));
	const out = columns.flatMap((c) => (after.has(c) ? [c, after.get(c)!.name] : [c]));
	const labelled = rows.map((r) => {
		const row: DataRow = {};
		for (const c of columns) {
			row[c] = r[c] ?? null;
			const l = after.get(c);
			if (l) row[l.name] = codeName(l.domain, r[c], locale);
		}
		return row;
	});
	return { columns: out, rows: labelled, added };
}

/**
 * The view state split for one table: the filters applied to it, and those it has no column for
 * (`ignored`, from filteredQuery), which the download's README names apart.
 */
export function splitByTable(state: ViewState, ignored: readonly (ListFilter | 'year')[]): { applied: ViewState; notApplied: ViewState | null } {
	const applied = plainCopy(state);
	const notApplied = defaultState();
	for (const key of ignored) {
		if (key === 'year') {
			notApplied.from = state.from;
			notApplied.to = state.to;
			applied.from = null;
			applied.to = null;
		} else if (hasOwn(LIST_FILTERS, key)) {
			notApplied[key] = [...state[key]];
			applied[key] = [];
		}
	}
	return { applied, notApplied: ignored.length ? notApplied : null };
}

/** A copy of the state whose lists are new arrays. */
function plainCopy(state: ViewState): ViewState {
	return { ...state, ...Object.fromEntries((Object.keys(LIST_FILTERS) as ListFilter[]).map((k) => [k, [...state[k]]])) } as ViewState;
}
