/**
 * Everything that travels with a download: the filter in words and as a URL, the data dictionary
 * of the table (labels of codes in the chosen language), the dataset version, licence and
 * citation, in a datapackage-style JSON. Pure.
 */
import type { DataPackage, DataResource } from '$lib/engine/catalog';
import { codes, describe, label, regionLabel, type CodeDomain } from '$lib/state/reference';
import { LIST_FILTERS, stateSearch, type ListFilter, type ViewState } from '$lib/state/view-state';
import { hasOwn } from '$lib/state/own';
import { apa, bibtex, CITATION } from './citation';

/** What a released table holds, in the reader's language (data/dictionary.json; else the package's own text). */
export function tableDescription(resource: DataResource, locale: string): string {
	return describe('tables', resource.name, locale) ?? resource.description ?? resource.title ?? '';
}

export interface DictionaryField {
	name: string;
	type: string;
	description: string;
	codes: { code: string; label: string }[];
}

/** codes.json domain of a column, by its name (region codes come from the regions table). */
export function domainOf(field: string): CodeDomain | 'region' | null {
	if (field === 'region_code' || field === 'predecessor') return 'region';
	if (field === 'addressee') return 'authority';
	return hasOwn(codes, field) ? (field as CodeDomain) : null;
}

/** A label column written into a download beside its column of codes (see labels.ts). */
export interface LabelField {
	code: string;
	name: string;
	description: string;
}

/** The table's fields with their descriptions and codes; `labels` adds each label column after its codes. */
export function dictionary(resource: DataResource, locale: string, labels: readonly LabelField[] = []): DictionaryField[] {
	return (resource.schema?.fields ?? []).flatMap((f) => {
		const domain = domainOf(f.name);
		const values = f.constraints?.enum ?? [];
		const field: DictionaryField = {
			name: f.name,
			type: f.type,
			description: describe('fields', f.name, locale) ?? f.description ?? '',
			codes: values.map((code) => ({
				code,
				label: domain === 'region' ? regionLabel(code, locale) : domain ? label(domain, code, locale) : code
			}))
		};
		const l = labels.find((x) => x.code === f.name);
		return l ? [field, { name: l.name, type: 'string', description: l.description, codes: [] }] : [field];
	});
}

export interface FilterWordsLabels {
	years: string;
	all: string;
	filter: Record<ListFilter, string>;
}

/** "Years: 2019–2022; Regions: Almaty, Astana" or the "all records" text. */
export function filterInWords(state: ViewState, locale: string, labels: FilterWordsLabels): string {
	const parts: string[] = [];
	if (state.from !== null || state.to !== null) parts.push(`${labels.years}: ${state.from ?? '…'}–${state.to ?? '…'}`);
	for (const key of Object.keys(LIST_FILTERS) as ListFilter[]) {
		if (!state[key].length) continue;
		const domain = LIST_FILTERS[key];
		const names = state[key].map((c) => (domain === 'region' ? regionLabel(c, locale) : label(domain, c, locale)));
		parts.push(`${labels.filter[key]}: ${names.join(', ')}`);
	}
	return parts.length ? parts.join('; ') : labels.all;
}

export interface MetadataInput {
	pkg: DataPackage;
	resource: DataResource;
	state: ViewState;
	locale: string;
	filterWords: string;
	/** Absolute URL of the portal page (the filter is appended). `filterWords`: the filters applied to this table. */
	pageUrl: string;
	fileName: string;
	format: string;
	rows: number;
	ignored: string[];
	/** The filters not applied, in words ('' when all were). */
	notAppliedWords?: string;
	/** Label columns the data file has beside its codes (CSV and JSON). */
	labels?: LabelField[];
	generated: string;
	/** Size and SHA-256 (hex) of the data file as written into the zip. */
	bytes?: number;
	sha256?: string;
}

/**
 * The encoding a data file declares: the CSV starts with a byte order mark (spreadsheets need it
 * to read UTF-8), which readers of Frictionless data packages (frictionless-py, pandas) accept
 * only when the file says `utf-8-sig`; with `utf-8` the mark becomes part of the first column's
 * name and no row matches the schema.
 */
export function encodingOf(format: string): string | undefined {
	return format === 'csv' ? 'utf-8-sig' : format === 'json' ? 'utf-8' : undefined;
}

export function downloadMetadata(i: MetadataInput) {
	const search = stateSearch(i.state);
	// The page address may already pin a release (?release=1.0.0): the filter joins it.
	const url = i.pageUrl + (search && i.pageUrl.includes('?') ? '&' + search.slice(1) : search);
	return {
		profile: 'data-package',
		name: `${i.pkg.name ?? 'kz-detention-monitoring'}-${i.resource.name}-filtered`,
		title: `${i.pkg.title ?? CITATION.title}: ${i.resource.name}`,
		version: i.pkg.version ?? CITATION.version,
		created: i.generated,
		synthetic: i.pkg.synthetic ?? undefined,
		licenses: i.pkg.licenses ?? [{ name: CITATION.licence, title: CITATION.licenceTitle, path: CITATION.licenceUrl }],
		sources: i.pkg.sources,
		citation: {
			apa: apa({ version: i.pkg.version, url: i.pageUrl }),
			bibtex: bibtex({ version: i.pkg.version, url: i.pageUrl, accessed: i.generated.slice(0, 10) })
		},
		filter: {
			description: i.filterWords,
			url,
			query: search.replace(/^\?/, ''),
			not_applied: i.ignored,
			not_applied_description: i.notAppliedWords || undefined
		},
		resources: [
			{
				name: i.resource.name,
				path: i.fileName,
				format: i.format,
				mediatype: i.format === 'csv' ? 'text/csv' : i.format === 'json' ? 'application/json' : 'application/vnd.apache.parquet',
				encoding: encodingOf(i.format),
				bytes: i.bytes,
				hash: i.sha256 ? `sha256:${i.sha256}` : undefined,
				rows: i.rows,
				description: tableDescription(i.resource, i.locale),
				source_file: i.resource.path,
				source_sha256: i.resource.hash,
				schema: { fields: dictionary(i.resource, i.locale, i.labels) }
			}
		]
	};
}
