/**
 * A corpus of broken inputs, made by breaking a small good set (tests/fixtures/good-mini) in one
 * way each. Every case must fail with a message that names what is wrong, and leave the output
 * folder byte-for-byte as it was (the pipeline writes to a staging folder and swaps only on success).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { cleanupTempDirs, copyGoodMini, previousRelease, runIngest, snapshot, tempDir, writeKey } from './helpers.ts';
import { parseCode } from '../../../scripts/pipeline/normalise.ts';
import { plainReason } from '../../../scripts/pipeline/errors.ts';

afterAll(() => cleanupTempDirs());

const KEY = writeKey(tempDir(), 'bad-inputs-key-0123456789');

function edit(dir: string, file: string, change: (text: string) => string): void {
	const path = join(dir, file);
	writeFileSync(path, change(readFileSync(path, 'utf8')));
}
const replaceLine = (n: number, line: string) => (text: string) => {
	const lines = text.split('\n');
	lines[n - 1] = line;
	return lines.join('\n');
};
const appendLine = (line: string) => (text: string) => text.replace(/\n?$/, '\n') + line + '\n';

/** Workbook from rows; each sheet given as [name, rows]. */
async function writeWorkbook(path: string, sheets: [string, (string | number | null)[][]][]): Promise<void> {
	const wb = new ExcelJS.Workbook();
	for (const [name, rows] of sheets) {
		const ws = wb.addWorksheet(name);
		for (const r of rows) ws.addRow(r);
	}
	await wb.xlsx.writeFile(path);
}
function csvRows(dir: string, file: string): string[][] {
	return readFileSync(join(dir, file), 'utf8')
		.trim()
		.split('\n')
		.map((l) => l.split(',')); // the facilities fixture has one quoted name: good enough for its use here
}

interface Case {
	name: string;
	breakIt: (dir: string) => void | Promise<void>;
	expected: string[];
	keyFile?: string;
}

const CASES: Case[] = [
	{ name: 'UTF-16 file', breakIt: (d) => writeFileSync(join(d, 'visits.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(readFileSync(join(d, 'visits.csv'), 'utf8'), 'utf16le')])), expected: ['visits.csv: is encoded as UTF-16'] },
	{ name: 'binary file with NUL bytes', breakIt: (d) => writeFileSync(join(d, 'visits.csv'), Buffer.from([0x76, 0x00, 0x01, 0x02, 0x0a])), expected: ['visits.csv: contains NUL bytes'] },
	{ name: 'Excel workbook saved as .csv', breakIt: async (d) => { await writeWorkbook(join(d, 'x.xlsx'), [['a', [['visit_code']]]]); writeFileSync(join(d, 'visits.csv'), readFileSync(join(d, 'x.xlsx'))); rmSync(join(d, 'x.xlsx')); }, expected: ['visits.csv: is a zip/Excel file'] },
	{ name: 'KOI8-R text (wrong single-byte encoding) gives unknown codes', breakIt: (d) => writeFileSync(join(d, 'visits.csv'), iconv.encode(readFileSync(join(d, 'visits.csv'), 'utf8'), 'koi8-r')), expected: ['visits.csv row 2, column visit_type:', 'is not a known visit_type'] },
	{ name: 'missing column', breakIt: (d) => edit(d, 'visits.csv', (t) => t.split('\n').map((l) => l.split(',').filter((_, i) => i !== 2).join(',')).join('\n')), expected: ['visits.csv: missing column visit_date'] },
	{ name: 'missing file', breakIt: (d) => rmSync(join(d, 'findings.csv')), expected: ['findings: no file findings.csv or findings.xlsx'] },
	{ name: 'two files for one table', breakIt: async (d) => writeWorkbook(join(d, 'findings.xlsx'), [['findings', [['visit_code']]]]), expected: ['findings: both'] },
	{ name: 'unknown region', breakIt: (d) => edit(d, 'facilities.csv', (t) => t.replace('Нур-Султан', 'Нарния')), expected: ['facilities.csv row 3, column region: "Нарния" is not a known region'] },
	{ name: 'unknown facility type', breakIt: (d) => edit(d, 'facilities.csv', (t) => t.replace(',ИВС,', ',КПЗ,')), expected: ['facilities.csv row 3, column facility_type: "КПЗ" is not a known facility_type'] },
	{ name: 'unknown visit type', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace('плановое', 'внезапное')), expected: ['visits.csv row 2, column visit_type: "внезапное" is not a known visit_type'] },
	{ name: 'unknown allegation type', breakIt: (d) => edit(d, 'allegations.csv', (t) => t.replace(',пытки,полиция', ',избиение,полиция')), expected: ['allegations.csv row 2, column allegation_type: "избиение" is not a known allegation_type'] },
	{ name: 'text in a number column', breakIt: (d) => edit(d, 'facilities.csv', (t) => t.replace(',850,', ',много,')), expected: ['facilities.csv row 2, column capacity: "много" is not a whole number'] },
	{ name: 'decimal in a count', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace(',4,700', ',3.5,700')), expected: ['visits.csv row 2, column team_size: "3.5" is not a whole number'] },
	{ name: 'negative count', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace(',4,700', ',-4,700')), expected: ['visits.csv row 2, column team_size: "-4" is negative'] },
	{ name: 'text in a decimal column', breakIt: (d) => edit(d, 'findings.csv', (t) => t.replace(',3.5,', ',четыре,')), expected: ['findings.csv row 2, column value: "четыре" is not a number'] },
	{ name: 'broken date', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace('15.03.2019', '31.02.2019')), expected: ['visits.csv row 2, column visit_date: "31.02.2019" is not a date (expected dd.mm.yyyy or yyyy-mm-dd)'] },
	{ name: 'US-style date', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace('15.03.2019', '03/15/2019')), expected: ['visits.csv row 2, column visit_date: "03/15/2019" is not a date'] },
	{ name: 'date before 2008', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace('15.03.2019', '15.03.2005')), expected: ['visits.csv row 2, column visit_date: "15.03.2005" is outside the accepted range'] },
	{ name: 'date in the future', breakIt: (d) => edit(d, 'recommendations.csv', (t) => t.replace('15.07.2023', '15.07.2099')), expected: ['recommendations.csv row 4, column issued_date: "15.07.2099" is outside the accepted range'] },
	{ name: 'yes/no not understood', breakIt: (d) => edit(d, 'findings.csv', (t) => t.replace(',нет,', ',может быть,')), expected: ['findings.csv row 2, column meets_standard: "может быть" is not yes/no'] },
	{ name: 'empty required value', breakIt: (d) => edit(d, 'allegations.csv', (t) => t.replace(',cidt,police,Ким', ',,police,Ким')), expected: ['allegations.csv row 6, column allegation_type: is empty (expected a value)'] },
	{ name: 'duplicate key', breakIt: (d) => edit(d, 'visits.csv', appendLine('V2,ИВС-71/002,2020-11-03,special,npm,3,12')), expected: ['visits.csv row 6, column visit_code: "V2" duplicates row 3'] },
	{ name: 'duplicate finding for a visit', breakIt: (d) => edit(d, 'findings.csv', appendLine('V1,sanitation,,нет,')), expected: ['findings.csv row 7, column visit_code + indicator: "V1 / sanitation" duplicates row 3'] },
	{ name: 'duplicate region-year', breakIt: (d) => edit(d, 'population.csv', appendLine('Алматы,2023,2161797,2350')), expected: ['population.csv row 6, column region + year', 'duplicates row 3'] },
	{ name: 'visit of an unknown facility', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace('V4,ЦАН-33/004', 'V4,ЦАН-99/999')), expected: ['visits.csv row 5, column facility_code: "ЦАН-99/999" is not in facilities.csv'] },
	{ name: 'recommendation of an unknown visit', breakIt: (d) => edit(d, 'recommendations.csv', (t) => t.replace('R3,V4', 'R3,V9')), expected: ['recommendations.csv row 4, column visit_code: "V9" is not in visits.csv'] },
	{ name: 'update of an unknown recommendation', breakIt: (d) => edit(d, 'recommendation_updates.csv', (t) => t.replace('R3,', 'R7,')), expected: ['recommendation_updates.csv row 4, column recommendation_code: "R7" is not in recommendations.csv'] },
	{ name: 'allegation in an unknown facility', breakIt: (d) => edit(d, 'allegations.csv', (t) => t.replace('C12,19.07.2023,ЦАН-33/004', 'C12,19.07.2023,ЦАН-00/000')), expected: ['allegations.csv row 13, column facility_code: "ЦАН-00/000" is not in facilities.csv'] },
	{ name: 'finding of an unknown visit', breakIt: (d) => edit(d, 'findings.csv', (t) => t.replace('V4,food', 'V5,food')), expected: ['findings.csv row 6, column visit_code: "V5" is not in visits.csv'] },
	{ name: 'empty file (0 bytes)', breakIt: (d) => writeFileSync(join(d, 'population.csv'), ''), expected: ['population.csv: is empty (0 bytes'] },
	{ name: 'blank lines only', breakIt: (d) => writeFileSync(join(d, 'population.csv'), '\r\n\r\n'), expected: ['population.csv: has no header row'] },
	{ name: 'header only', breakIt: (d) => writeFileSync(join(d, 'population.csv'), 'region,year,residents,detainees\n'), expected: ['population.csv: has a header but no data rows'] },
	{ name: 'unclosed quote', breakIt: (d) => edit(d, 'findings.csv', (t) => t.replace('V2,occupancy_rate,0.3,yes,', 'V2,occupancy_rate,0.3,yes,"Камера без окон')), expected: ['findings.csv row 4: a quoted field starts here and is never closed'] },
	{ name: 'row with too many values', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace('V3,СИЗО-35/003,01.02.2023', 'V3,СИЗО-35/003,01.02.2023,x')), expected: ['visits.csv row 4: has 8 values, expected 7'] },
	{ name: 'duplicate column in the header', breakIt: (d) => edit(d, 'population.csv', (t) => t.replace('region,year,residents,detainees', 'region,year,residents,year')), expected: ['population.csv: column year appears twice', 'missing column detainees'] },
	{ name: 'birth date after the report', breakIt: (d) => edit(d, 'allegations.csv', (t) => t.replace('12.05.1990', '12.05.2023')), expected: ['allegations.csv row 2, column victim_birth_date: "12.05.2023" is after report_date'] },
	{ name: 'outcome before the report', breakIt: (d) => edit(d, 'allegations.csv', (t) => t.replace('01.06.2022', '01.06.2021')), expected: ['allegations.csv row 2, column outcome_date: "01.06.2021" is before report_date'] },
	{ name: 'closed before opened', breakIt: (d) => edit(d, 'facilities.csv', (t) => t.replace('2015,', '2015,2012')), expected: ['facilities.csv row 5, column closed_year: "2012" is before opened_year 2015'] },
	{ name: 'row number counts lines inside quoted fields', breakIt: (d) => edit(d, 'findings.csv', (t) => t.replace('"Камера №3, осужденный Иванов"', '"Камера №3,\nосужденный Иванов"').replace('V2,occupancy_rate,0.3,yes', 'V2,occupancy_rate,0.3,возможно')), expected: ['findings.csv row 5, column meets_standard: "возможно" is not yes/no'] },
	{
		name: 'xlsx with two data sheets',
		breakIt: async (d) => {
			const rows = csvRows(d, 'population.csv');
			rmSync(join(d, 'population.csv'));
			await writeWorkbook(join(d, 'population.xlsx'), [['Лист1', rows], ['Лист2', rows.slice(0, 2)]]);
		},
		expected: ['population.xlsx: has 2 sheets with data ("Лист1", "Лист2"); expected exactly one, or one named "population"']
	},
	{
		name: 'xlsx without data',
		breakIt: async (d) => {
			rmSync(join(d, 'population.csv'));
			await writeWorkbook(join(d, 'population.xlsx'), [['Лист1', []]]);
		},
		expected: ['population.xlsx: has no sheet with data']
	},
	{ name: 'corrupt xlsx', breakIt: (d) => { rmSync(join(d, 'population.csv')); writeFileSync(join(d, 'population.xlsx'), 'not a zip at all'); }, expected: ['population.xlsx: cannot be read as an Excel workbook'] },
	{ name: 'missing key file', breakIt: () => {}, keyFile: '/nonexistent/pseudonym.key', expected: ['--key-file /nonexistent/pseudonym.key does not exist'] },
	// Plausible ranges (docs/data-pipeline.md, section 2): a value a secretariat would not mean.
	{ name: 'share typed as a percentage', breakIt: (d) => edit(d, 'findings.csv', (t) => t.replace('V3,cctv_coverage,0.95,', 'V3,cctv_coverage,95,')), expected: ['findings.csv row 5, column value: "95" looks like a percentage: 95 -> 0.95? (expected a share from 0 to 1 for cctv_coverage)'] },
	{ name: 'occupancy typed as a percentage', breakIt: (d) => edit(d, 'findings.csv', (t) => t.replace('V2,occupancy_rate,0.3,', 'V2,occupancy_rate,130,')), expected: ['findings.csv row 4, column value: "130" looks like a percentage: 130 -> 1.3?'] },
	{ name: 'implausible living space', breakIt: (d) => edit(d, 'findings.csv', (t) => t.replace('V1,living_space_m2,3.5,', 'V1,living_space_m2,350,')), expected: ['findings.csv row 2, column value: "350" is too large for living_space_m2 (expected m² per person, at most 50)'] },
	{ name: 'team size 100,000', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace(',4,700', ',100000,700')), expected: ['visits.csv row 2, column team_size: "100000" is implausibly large (expected 1 to 50 members of one visiting team'] },
	{ name: 'team of nobody', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace(',4,700', ',0,700')), expected: ['visits.csv row 2, column team_size: "0" is too small (expected 1 to 50 members of one visiting team)'] },
	{ name: 'detainees present beyond any facility', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace(',4,700', ',4,700000')), expected: ['visits.csv row 2, column detainees_present: "700000" is implausibly large'] },
	{ name: 'capacity beyond any facility', breakIt: (d) => edit(d, 'facilities.csv', (t) => t.replace(',850,', ',85000,')), expected: ['facilities.csv row 2, column capacity: "85000" is implausibly large (expected 0 to 10000 places in one facility'] },
	{ name: 'detainees 3,000,000,000', breakIt: (d) => edit(d, 'population.csv', (t) => t.replace('KZ-75,2022,2128000,2300', 'KZ-75,2022,2128000,3000000000')), expected: ['population.csv row 2, column detainees: "3000000000" is implausibly large (expected 0 to 100000 people held in one region'] },
	{ name: 'residents beyond any region', breakIt: (d) => edit(d, 'population.csv', (t) => t.replace('KZ-75,2022,2128000,', 'KZ-75,2022,21 280 000,')), expected: ['population.csv row 2, column residents: "21 280 000" is implausibly large'] },
	{ name: 'more detainees than residents', breakIt: (d) => edit(d, 'population.csv', (t) => t.replace('1354507,1200', '1000,1200')), expected: ['population.csv row 4, column detainees: "1200" is more than the region\'s residents, 1000'] },
	// Keys: surrounding spaces and letter case do not make a new case.
	{ name: 'case code differing only in case and spaces', breakIt: (d) => edit(d, 'allegations.csv', (t) => t.replace('C02,06.01.2022', 'c01 ,06.01.2022')), expected: ['allegations.csv row 3, column case_code: "c01 " duplicates row 2 (written there as "C01"; codes are compared ignoring case and spaces around them)'] },
	{ name: 'unknown sex', breakIt: (d) => edit(d, 'allegations.csv', (t) => t.replace('12.05.1990,м,', '12.05.1990,x,')), expected: ['allegations.csv row 2, column victim_sex: "x" is not a known victim_sex'] },
	{ name: 'folder named like an input file', breakIt: (d) => { rmSync(join(d, 'allegations.csv')); mkdirSync(join(d, 'allegations.csv')); }, expected: ['allegations.csv: is a folder, not a file (expected the allegations table as a .csv or .xlsx file)'] },
	{ name: 'row with too few values', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace('V3,СИЗО-35/003,01.02.2023,повторное,ОНК,3,540', 'V3,СИЗО-35/003,01.02.2023,повторное,ОНК,3')), expected: ['visits.csv row 4: has 6 values, expected 7'] },
	{ name: 'quoted value followed by more text', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace('V2,ИВС-71/002', '"V2"x,ИВС-71/002')), expected: ['visits.csv row 3: a quoted value is followed by more text'] },
	{ name: 'row numbers stay right after a row that could not be split', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace('special,npm,3,12', 'special,npm,3').replace('planned,npm,5,18', 'никакое,npm,5,18')), expected: ['visits.csv row 3: has 6 values, expected 7', 'visits.csv row 5, column visit_type: "никакое" is not a known visit_type'] },
	{ name: 'row number counts blank lines', breakIt: (d) => edit(d, 'visits.csv', (t) => t.replace('\nV3,СИЗО-35/003,01.02.2023,повторное', '\n\n\nV3,СИЗО-35/003,01.02.2023,никакое')), expected: ['visits.csv row 6, column visit_type: "никакое" is not a known visit_type'] },
	{
		name: 'errors in several files are all reported together',
		breakIt: (d) => {
			edit(d, 'visits.csv', (t) => t.replace('15.03.2019', '32.03.2019'));
			edit(d, 'allegations.csv', (t) => t.replace(',пытки,полиция', ',избиение,полиция'));
		},
		expected: ['2 errors in the input', 'visits.csv row 2, column visit_date', 'allegations.csv row 2, column allegation_type']
	}
];

describe('bad inputs are refused with a clear message and the output is left untouched', () => {
	it('the corpus has at least 30 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(30));

	it('the good set itself passes', async () => {
		const out = previousRelease();
		const r = await runIngest({ input: copyGoodMini(), out, keyFile: KEY });
		expect(r.errors.shown).toEqual([]);
		expect(r.ok).toBe(true);
		expect(existsSync(join(out, 'datapackage.json'))).toBe(true);
		expect(readdirSync(dirname(out)).filter((f) => f.startsWith('.'))).toEqual([]); // staging removed
	});

	it.each(CASES)('$name', async ({ breakIt, expected, keyFile }) => {
		const input = copyGoodMini();
		await breakIt(input);
		const out = previousRelease();
		const before = snapshot(dirname(out));
		const r = await runIngest({ input, out, keyFile: keyFile ?? KEY });
		expect(r.ok).toBe(false);
		const report = r.errors.report();
		for (const text of expected) expect(report).toContain(text);
		// Only the project's own messages: no engine or system error text, no path of the run's work folder.
		expect(report).not.toMatch(/Error:|Conversion|EISDIR|ENOENT|EACCES|npm-ingest-|\.duckdb|read_csv/);
		expect(snapshot(dirname(out))).toEqual(before);
	});

	it('caps the shown errors at 100 and counts the rest', async () => {
		const input = copyGoodMini();
		edit(input, 'population.csv', (t) => t + Array.from({ length: 150 }, (_, i) => `Нарния,${2000 + (i % 20)},1,1`).join('\n') + '\n');
		const out = previousRelease();
		const before = snapshot(dirname(out));
		const r = await runIngest({ input, out, keyFile: KEY });
		expect(r.ok).toBe(false);
		expect(r.errors.count).toBe(150);
		expect(r.errors.shown.length).toBe(100);
		expect(r.errors.report()).toContain('... and 50 more errors not shown.');
		expect(snapshot(dirname(out))).toEqual(before);
	});

	it('codes are compared ignoring case and surrounding spaces, and abbreviations are understood', async () => {
		const input = copyGoodMini();
		// references typed in another case, with spaces around them
		edit(input, 'visits.csv', (t) => t.replace('V2,ИВС-71/002,', ' v2 ,ивс-71/002 ,'));
		edit(input, 'findings.csv', (t) => t.replace('V2,occupancy_rate', 'v2,occupancy_rate'));
		// English and Russian short forms
		edit(input, 'allegations.csv', (t) =>
			t
				.replace('12.05.1990,м,', '12.05.1990,m,')
				.replace('1988-02-03,male,', '1988-02-03,F,')
				.replace('03.03.1995,М,', '03.03.1995,муж.,')
				.replace('12.12.2009,ж,', '12.12.2009,f,')
				.replace('C11,18.06.2019,УИ-75/001,ngo_hotline,', 'C11,18.06.2019,УИ-75/001,NGO,')
				.replace('penal_staff,Смагулов С.,11.11.1983,male,текст,registered', 'prison staff,Смагулов С.,11.11.1983,male,текст,рег.')
		);
		edit(input, 'visits.csv', (t) => t.replace('V1,УИ-75/001,15.03.2019,плановое,НПМ', 'V1,УИ-75/001,15.03.2019,scheduled,NPM'));
		const r = await runIngest({ input, out: previousRelease(), keyFile: KEY });
		expect(r.errors.shown).toEqual([]);
		expect(r.ok).toBe(true);
		expect(r.rows?.visits).toBe(4);
		// control: the same file with a value that is no abbreviation fails
		edit(input, 'allegations.csv', (t) => t.replace('12.05.1990,m,', '12.05.1990,mf,'));
		const bad = await runIngest({ input, out: previousRelease(), keyFile: KEY });
		expect(bad.errors.report()).toContain('allegations.csv row 2, column victim_sex: "mf" is not a known victim_sex');
	});

	it.each([
		['victim_sex', ['m', 'M.', 'male', 'man', 'м', 'муж', 'мужской'], 'male'],
		['victim_sex', ['f', 'F', 'female', 'woman', 'ж', 'жен.', 'женский'], 'female'],
		['victim_sex', ['n/a', 'unknown', 'неизв.', 'н/д'], 'unknown'],
		['facility_type', ['SIZO', 'СИЗО', 'pre-trial detention'], 'sizo'],
		['facility_type', ['IVS', 'ИВС', 'TDF'], 'ivs'],
		['authority', ['MIA', 'МВД', 'police'], 'mia_police'],
		['security_level', ['max', 'макс.', 'строгий режим'], 'maximum'],
		['allegation_type', ['CIDT', 'ill-treatment', 'ЖБО'], 'cidt'],
		['perpetrator', ['prison staff', 'УИС', 'сотрудники СИЗО'], 'penal_staff'],
		['channel', ['NGO', 'hotline', 'НПО'], 'ngo_hotline'],
		['outcome', ['convicted', 'guilty', 'приговор'], 'conviction'],
		['indicator', ['CCTV', 'видеонаблюдение'], 'cctv_coverage'],
		['theme', ['training', 'обучение'], 'staff_training'],
		['status', ['done', 'implemented', 'выполнено'], 'implemented'],
		['priority', ['h', 'hi', 'выс.', 'высокий'], 'high'],
		['visit_type', ['follow up', 'повт.', 'контрольное'], 'follow_up'],
		['body', ['PMC', 'ОНК'], 'pmc']
	] as const)('%s: %j are read as %s', (list, spellings, code) => {
		for (const s of spellings) expect(parseCode(list, s), s).toEqual({ ok: true, value: code });
	});

	it('unexpected engine and system errors are put in words, without engine text or temporary paths', () => {
		const engine = new Error('Conversion Error: CSV Error on Line: 3\nOriginal Line: 1,2\nCould not convert string "3000000000" to \'INT32\'\n  file = /tmp/npm-ingest-Ab12/population.csv');
		expect(plainReason(engine)).toBe('CSV Error on Line: 3');
		expect(plainReason(new Error('IO Error: Could not write file "/tmp/npm-ingest-x/duckdb-spill/t.block": No space left on device'))).toBe('the disk is full');
		expect(plainReason(Object.assign(new Error("EISDIR: illegal operation on a directory, read '/data/in/allegations.csv'"), { code: 'EISDIR' }))).toBe('a folder was found where a file was expected');
		expect(plainReason(new Error('Invalid Input Error: cannot open /tmp/npm-ingest-q/raw.csv now'))).toBe('cannot open a temporary file now');
	});

	it('a Windows-1251 file that looks like UTF-8 for its first megabyte is read again as Windows-1251', async () => {
		const input = copyGoodMini();
		const text = readFileSync(join(input, 'visits.csv'), 'utf8').split('\n');
		// a first data row of plain ASCII longer than 1 MB (in a column the pipeline ignores), then Cyrillic
		const padded = ['pad,' + text[0], `${'x'.repeat(1_100_000)},${text[1]}`, ...text.slice(2).filter((l) => l).map((l) => `,${l}`)].join('\r\n') + '\r\n';
		writeFileSync(join(input, 'visits.csv'), iconv.encode(padded, 'win1251'));
		const r = await runIngest({ input, out: previousRelease(), keyFile: KEY });
		expect(r.errors.shown).toEqual([]);
		expect(r.ok).toBe(true);
		expect(r.rows?.visits).toBe(4);
	});

	it('an xlsx with a sheet named like the table uses that sheet and says so', async () => {
		const input = copyGoodMini();
		const rows = csvRows(input, 'population.csv');
		rmSync(join(input, 'population.csv'));
		await writeWorkbook(join(input, 'population.xlsx'), [['Notes', [['written by', 'secretariat']]], ['population', rows]]);
		const lines: string[] = [];
		const { ingest } = await import('../../../scripts/pipeline/index.ts');
		const r = await ingest({ input, out: previousRelease(), keyFile: KEY, log: (l) => lines.push(l) });
		expect(r.ok).toBe(true);
		expect(lines.join('\n')).toContain('sheet "Notes" ignored; the table is read from sheet "population"');
	});
});
