/**
 * Seeded generator of the seven files an NPM secretariat exports (their formats: docs/data-pipeline.md, section 1).
 *
 *   npm run data:generate -- --seed 2014 --scale 1 --out data/generated/raw
 *
 * The same seed and scale give byte-identical files. --scale multiplies the allegation volume only
 * (scale 1 = 10,000 allegations; fractional scales are allowed for quick tests). Formats are mixed on
 * purpose, as real exports are: facilities as .xlsx, population/findings/recommendations in
 * Windows-1251 with `;` and decimal commas, the rest UTF-8 with `,` (visits with a BOM).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../lib/args.ts';
import { Rng } from '../lib/rng.ts';
import { buildFacilities, buildPopulation } from './world.ts';
import { buildFindings, buildRecommendations, buildUpdates, buildVisits } from './activity.ts';
import { ALLEGATION_HEADER, writeAllegations } from './allegations.ts';
import { CsvWriter, writeXlsx, type CsvFormat } from './writers.ts';
import { spellBool, spellCode, spellDate, spellRegion } from './spelling.ts';

const CP1251: CsvFormat = { encoding: 'cp1251', separator: ';', decimalComma: true };
const UTF8: CsvFormat = { encoding: 'utf8', separator: ',', decimalComma: false };
const UTF8_BOM: CsvFormat = { encoding: 'utf8-bom', separator: ',', decimalComma: false };

export interface GenerateOptions {
	seed: number;
	scale: number;
	out: string;
	quiet?: boolean;
}

export interface GenerateSummary {
	facilities: number;
	population: number;
	visits: number;
	findings: number;
	allegations: number;
	recommendations: number;
	recommendation_updates: number;
}

export async function generate({ seed, scale, out, quiet }: GenerateOptions): Promise<GenerateSummary> {
	if (!(scale > 0)) throw new Error('--scale must be a positive number');
	mkdirSync(out, { recursive: true });
	// Independent streams per table, so changing one table's logic does not reshuffle the others.
	const rng = (stream: number) => new Rng(seed * 1_000_003 + stream);

	const facilities = buildFacilities(rng(1));
	await writeXlsx(
		join(out, 'facilities.xlsx'),
		'Учреждения',
		['facility_code', 'facility_name', 'region', 'facility_type', 'authority', 'security_level', 'capacity', 'opened_year', 'closed_year'],
		(() => {
			const r = rng(2);
			return facilities.map((f) => [f.code, f.name, spellRegion(r, f.region), spellCode(r, 'facility_type', f.type, 0.3), spellCode(r, 'authority', f.authority), f.security ? spellCode(r, 'security_level', f.security) : null, f.capacity, f.opened, f.closed]);
		})()
	);

	const population = buildPopulation(rng(3), facilities);
	{
		const r = rng(4);
		const w = new CsvWriter(join(out, 'population.csv'), CP1251, ['region', 'year', 'residents', 'detainees']);
		for (const p of population) await w.row([spellRegion(r, p.region, true), p.year, p.residents, p.detainees]);
		await w.close();
	}

	const visits = buildVisits(rng(5), facilities);
	{
		const r = rng(6);
		const w = new CsvWriter(join(out, 'visits.csv'), UTF8_BOM, ['visit_code', 'facility_code', 'visit_date', 'visit_type', 'body', 'team_size', 'detainees_present']);
		for (const v of visits) await w.row([v.code, v.facility.code, spellDate(r, v.date, 0.1), spellCode(r, 'visit_type', v.type), spellCode(r, 'body', v.body), v.teamSize, v.present]);
		await w.close();
	}

	const findings = buildFindings(rng(7), visits);
	{
		const r = rng(8);
		const w = new CsvWriter(join(out, 'findings.csv'), CP1251, ['visit_code', 'indicator', 'value', 'meets_standard', 'notes']);
		for (const f of findings) await w.row([f.visit.code, spellCode(r, 'indicator', f.indicator, 0.7, true), f.value, spellBool(r, f.meets), f.notes]);
		await w.close();
	}

	const recs = buildRecommendations(rng(9), visits, findings);
	{
		const r = rng(10);
		const w = new CsvWriter(join(out, 'recommendations.csv'), CP1251, ['recommendation_code', 'visit_code', 'issued_date', 'theme', 'addressee', 'priority', 'text']);
		for (const x of recs) await w.row([x.code, x.visit.code, spellDate(r, x.issued), spellCode(r, 'theme', x.theme, 0.6, true), spellCode(r, 'authority', x.addressee, 0.5, true), spellCode(r, 'priority', x.priority, 0.5, true), x.text]);
		await w.close();
	}

	const updates = buildUpdates(rng(11), recs);
	{
		const r = rng(12);
		const w = new CsvWriter(join(out, 'recommendation_updates.csv'), UTF8, ['recommendation_code', 'update_date', 'status', 'comment']);
		for (const u of updates) await w.row([u.recommendation.code, spellDate(r, u.date, 0.5), spellCode(r, 'status', u.status), u.comment]);
		await w.close();
	}

	const w = new CsvWriter(join(out, 'allegations.csv'), UTF8, ALLEGATION_HEADER);
	const allegations = await writeAllegations(rng(13), facilities, scale, w);
	await w.close();

	// Marks the folder as synthetic so the pipeline labels the release accordingly.
	writeFileSync(
		join(out, 'SYNTHETIC.json'),
		JSON.stringify({ synthetic: true, generator: 'scripts/generate', seed, scale, note: 'Synthetic demonstration data: invented records shaped by public figures (see docs/data-pipeline.md, section 6).' }, null, 2) + '\n'
	);
	const summary = { facilities: facilities.length, population: population.length, visits: visits.length, findings: findings.length, allegations, recommendations: recs.length, recommendation_updates: updates.length };
	if (!quiet) console.log(`generated in ${out}:`, summary);
	return summary;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2), { seed: 'number', scale: 'number', out: 'string' });
	const started = Date.now();
	await generate({ seed: (args.seed as number) ?? 2014, scale: (args.scale as number) ?? 1, out: (args.out as string) ?? 'data/generated/raw' });
	console.log(`generator finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
	main().catch((err) => {
		console.error(err instanceof Error ? err.message : err);
		process.exit(1);
	});
}
