/** The human-readable disclosure report (disclosure-report.md) written with every release. */
import type { DisclosureStats } from './anonymise.ts';
import type { ReleaseDisclosure } from './release.ts';
import type { ProxyReport } from './proxies.ts';

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export function renderDisclosureReport(d: DisclosureStats, w: ReleaseDisclosure, p: ProxyReport, inputRows: Record<string, number>, released: Record<string, number>, synthetic: boolean, created: string): string {
	const lines: string[] = [];
	lines.push('# Disclosure report');
	lines.push('');
	lines.push(`Created ${created}.${synthetic ? ' **These are synthetic demonstration data**: no real person or case is described.' : ''}`);
	lines.push('');
	lines.push('## What was removed from every table');
	lines.push('');
	lines.push('- Names, birth dates, case codes, facility codes, visit and recommendation codes: not published. Ids are keyed pseudonyms (HMAC-SHA256); the key is kept outside the published folder.');
	lines.push('- Free text (descriptions, notes, comments, recommendation texts): not published.');
	lines.push('- Dates: months for visits and recommendations; year and quarter for allegations (quarter removed where needed, see below).');
	lines.push('- Birth dates: replaced by the age band at the report date. Facility capacity: a band, not the figure.');
	lines.push('');
	lines.push('## Allegations: k-anonymity and l-diversity');
	lines.push('');
	lines.push(`Quasi-identifiers: ${d.quasi_identifiers.join(', ')}. Every combination of their values (NULL counting as a value) that occurs in the published table occurs at least **k = ${d.k}** times, and each such group holds at least **l = ${d.l}** different allegation types, so membership in a group reveals neither the person nor the type of ill-treatment.`);
	lines.push('');
	lines.push('| measure | value |');
	lines.push('|---|---|');
	lines.push(`| rows before / after | ${d.rows_in} / ${d.rows_out} |`);
	lines.push(`| rows removed entirely | ${d.rows_suppressed} |`);
	lines.push(`| quarter generalised to year | ${d.generalised.report_quarter_to_year} rows |`);
	lines.push(`| age band merged (18_34 / 35_plus) | ${d.generalised.age_band_merged} rows |`);
	lines.push(`| age band merged to 18_plus | ${d.generalised.age_band_to_adult} rows |`);
	for (const [q, n] of Object.entries(d.suppressed_values)) lines.push(`| ${q} suppressed (NULL) | ${n} values |`);
	lines.push(`| equivalence classes | ${d.equivalence_classes} |`);
	lines.push(`| smallest class | ${d.smallest_class_size} rows, ${d.smallest_class_distinct_types} allegation types |`);
	lines.push(`| mean class size | ${d.average_class_size.toFixed(1)} |`);
	lines.push(`| QI values changed | ${pct(d.information_loss.share_of_qi_values_changed)} |`);
	lines.push(`| weighted information loss | ${pct(d.information_loss.weighted_loss)} |`);
	lines.push('');
	lines.push('Steps, in order (generalise first, suppress last):');
	lines.push('');
	for (const s of d.steps) lines.push(`1. ${s}`);
	lines.push('');
	lines.push(`Information loss: ${d.information_loss.definition}.`);
	lines.push('');
	lines.push('## Hidden values stay hidden');
	lines.push('');
	lines.push(`- Facility capacity is published as a band only, and nothing computed from it may narrow the band. An occupancy rate is people present / capacity for a whole number of people, so rates to two decimals rule out most capacities of a small facility; only whether the facility was within capacity (\`meets_standard\`) is published for occupancy, which every capacity in the band can produce; occupancy values withheld: **${w.capacity_values_withheld}**.`);
	lines.push('- A visit\'s head count (`detainees_present`) against "within capacity" would bound the capacity, so the head count is withheld (NULL) for every visit to a facility with an occupancy finding: ' +
		`**${w.detainees_present_withheld} of ${w.visits} visits** (${w.detainees_present_missing} had none in the input).`);
	const byQi = new Map<string, string[]>();
	for (const r of p.rules) byQi.set(r.qi, [...(byQi.get(r.qi) ?? []), `${r.attribute}${r.origin === 'measured' ? ' (measured in this input)' : ''}`]);
	const blanked = Object.entries(p.values_blanked).map(([a, n]) => `${a} ${n}`).join(', ');
	lines.push(`- An attribute that stands in for a suppressed quasi-identifier (a \`military\` perpetrator names a guardhouse) is blanked wherever that quasi-identifier is suppressed, whatever its value, so the blank says nothing more: ${[...byQi].map(([q, as]) => `${as.join(' and ')} with ${q}`).join('; ') || 'none'}. Values blanked: ${blanked || 'none'}. Besides the known proxies, an attribute counts as one when, in this input, one of its values (at least ${p.support} rows) points to one value of a quasi-identifier in at least ${Math.round(100 * p.confidence)}% of its rows and at least ${p.lift} times as often as overall. A suppressed year also blanks the quarter.`);
	lines.push('- Allegation ids are keyed with this release\'s input as well as the key: a new input gives new ids, so a row cannot be matched with the same row in another release, where other values may have been suppressed.');
	lines.push('- Every published figure, here and in the dashboard, is counted from the published rows; the only count taken before anonymisation is the national number of input rows per file. So no suppressed value can be recomputed by subtracting published totals.');
	lines.push('');
	lines.push('## Rows');
	lines.push('');
	lines.push('| table | rows |');
	lines.push('|---|---|');
	for (const [t, n] of Object.entries(released)) lines.push(`| ${t} | ${n} |`);
	lines.push('');
	lines.push('Input rows: ' + Object.entries(inputRows).map(([t, n]) => `${t} ${n}`).join(', ') + '.');
	lines.push('');
	lines.push('Aggregates shown by the dashboard are computed from these published files only, so they inherit these guarantees.');
	lines.push('');
	return lines.join('\n');
}
