/**
 * How to cite the data. The same facts as CITATION.cff at the repository root (a unit test keeps
 * them equal); APA and BibTeX are generated from them with the dataset version and the page URL.
 */
export const CITATION = {
	title: 'Detention monitoring in Kazakhstan (synthetic demonstration data)',
	author: 'Detention Monitoring Kazakhstan project contributors',
	version: '1.1.0',
	year: 2026,
	licence: 'CC-BY-4.0',
	licenceTitle: 'Creative Commons Attribution 4.0',
	licenceUrl: 'https://creativecommons.org/licenses/by/4.0/'
} as const;

export interface CiteOptions {
	version?: string;
	year?: number;
	url: string;
	/** yyyy-mm-dd the data were retrieved. */
	accessed?: string;
}

export function apa(o: CiteOptions): string {
	const year = o.year ?? CITATION.year;
	return `${CITATION.author}. (${year}). ${CITATION.title} (Version ${o.version ?? CITATION.version}) [Data set]. ${o.url}`;
}

export function bibtex(o: CiteOptions): string {
	const year = o.year ?? CITATION.year;
	return [
		`@misc{kz_detention_monitoring_${year},`,
		`  author    = {{${CITATION.author}}},`,
		`  title     = {{${CITATION.title}}},`,
		`  year      = {${year}},`,
		`  version   = {${o.version ?? CITATION.version}},`,
		`  publisher = {Detention Monitoring Kazakhstan},`,
		`  note      = {Data set, licence ${CITATION.licence}${o.accessed ? `, accessed ${o.accessed}` : ''}},`,
		`  url       = {${o.url}}`,
		`}`
	].join('\n');
}
