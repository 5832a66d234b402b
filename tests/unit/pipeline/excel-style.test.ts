/**
 * Files as Excel in a Russian locale saves them: Windows-1251, `;` separators, dd.mm.yyyy dates,
 * decimal commas, spaces as thousands separators, Russian category words and region spellings; and a
 * real .xlsx with date cells. The released values must come out exactly right.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { CsvParser } from '../../../scripts/pipeline/csv.ts';
import { cleanupTempDirs, copyGoodMini, parquet, runIngest, tempDir, wasmRows, writeKey } from './helpers.ts';

let out: string;

/** Re-save a UTF-8 comma file the way Russian Excel does: cp1251, `;`, decimal comma. */
function asRussianExcel(dir: string, file: string, change: (text: string) => string = (t) => t): void {
	const path = join(dir, file);
	const text = change(readFileSync(path, 'utf8'))
		.split('\n')
		.map((line) => line.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, ';').replace(/(^|;)(\d+)\.(\d+)(?=;|$)/g, '$1$2,$3'))
		.join('\r\n');
	writeFileSync(path, iconv.encode(text, 'win1251'));
}

beforeAll(async () => {
	const input = copyGoodMini();
	asRussianExcel(input, 'visits.csv');
	asRussianExcel(input, 'findings.csv');
	asRussianExcel(input, 'population.csv', (t) => t.replace('2161797', '2 161 797').replace('1134854', '1\u00a0134\u00a0854'));
	// recommendation updates as a workbook with real date cells
	rmSync(join(input, 'recommendation_updates.csv'));
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('Лист1');
	ws.addRow(['recommendation_code', 'update_date', 'status', 'comment']);
	ws.addRow(['R1', new Date(Date.UTC(2019, 9, 1)), 'в работе', 'Письмо №1']);
	ws.addRow(['R1', new Date(Date.UTC(2020, 2, 15)), 'Исполнено', null]);
	ws.addRow(['R3', '01.09.2023', 'нет информации', null]);
	await wb.xlsx.writeFile(join(input, 'recommendation_updates.xlsx'));
	out = join(tempDir(), 'data');
	const r = await runIngest({ input, out, keyFile: writeKey(tempDir(), 'excel-style-key-0123456789') });
	expect(r.errors.shown).toEqual([]);
	expect(r.ok).toBe(true);
}, 600_000); // generous: shared CI machines can be slow

afterAll(() => cleanupTempDirs());

describe('Excel-style files are read correctly', () => {
	it('decimal commas become numbers', async () => {
		const rows = await wasmRows(`SELECT indicator, value FROM ${parquet(out, 'findings')} WHERE value IS NOT NULL ORDER BY indicator`);
		expect(rows).toEqual([
			{ indicator: 'cctv_coverage', value: 0.95 },
			{ indicator: 'living_space_m2', value: 3.5 }
		]);
		// (the occupancy rate, 0,3 in the input, is read too, but only its verdict is published: see privacy.test.ts)
	});

	it('dd.mm.yyyy dates become months, Russian words become codes', async () => {
		const rows = await wasmRows(`SELECT visit_month, visit_type, body, region_code, facility_type FROM ${parquet(out, 'visits')} ORDER BY visit_month`);
		expect(rows).toEqual([
			{ visit_month: '2019-03-01', visit_type: 'planned', body: 'npm', region_code: 'KZ-75', facility_type: 'penal_colony' },
			{ visit_month: '2020-11-01', visit_type: 'special', body: 'npm', region_code: 'KZ-71', facility_type: 'ivs' },
			{ visit_month: '2023-02-01', visit_type: 'follow_up', body: 'pmc', region_code: 'KZ-35', facility_type: 'sizo' },
			{ visit_month: '2023-06-01', visit_type: 'planned', body: 'npm', region_code: 'KZ-33', facility_type: 'juvenile_centre' }
		]);
	});

	it('yes/no words become booleans', async () => {
		const rows = await wasmRows(`SELECT indicator, meets_standard FROM ${parquet(out, 'findings')} ORDER BY indicator`);
		expect(rows.map((r) => [r.indicator, r.meets_standard])).toEqual([
			['cctv_coverage', true],
			['food', false],
			['living_space_m2', false],
			['occupancy_rate', true],
			['sanitation', true]
		]);
	});

	it('spaces as thousands separators are accepted', async () => {
		const rows = await wasmRows(`SELECT region_code, year, residents FROM ${parquet(out, 'region_year')} WHERE year = 2023 ORDER BY region_code`);
		expect(rows).toEqual([
			{ region_code: 'KZ-35', year: 2023, residents: 1134854 },
			{ region_code: 'KZ-71', year: 2023, residents: 1354507 },
			{ region_code: 'KZ-75', year: 2023, residents: 2161797 }
		]);
	});

	it('Excel date cells and the latest status are read from the workbook', async () => {
		const events = await wasmRows(`SELECT event_month, status FROM ${parquet(out, 'recommendation_events')} ORDER BY event_month`);
		expect(events).toEqual([
			{ event_month: '2019-10-01', status: 'in_progress' },
			{ event_month: '2020-03-01', status: 'implemented' },
			{ event_month: '2023-09-01', status: 'no_information' }
		]);
		const recs = await wasmRows(`SELECT theme, status, status_month, implemented_month FROM ${parquet(out, 'recommendations')} ORDER BY theme`);
		expect(recs).toEqual([
			{ theme: 'food', status: 'no_information', status_month: '2023-09-01', implemented_month: null },
			{ theme: 'living_space_m2', status: 'implemented', status_month: '2020-03-01', implemented_month: '2020-03-01' },
			{ theme: 'staff_training', status: 'no_information', status_month: '2019-04-01', implemented_month: null }
		]);
	});
});

describe('CSV parser', () => {
	const parse = (text: string, chunk = text.length) => {
		const rows: [number, string[]][] = [];
		const p = new CsvParser((f, line) => rows.push([line, f]));
		for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk));
		const unclosed = p.end();
		return { rows, unclosed, sep: p.separatorChar };
	};

	it('handles quotes, doubled quotes, line breaks in fields and CRLF, in any chunking', () => {
		const text = 'a;b;c\r\n1;"x;""y""";2\r\n"multi\r\nline";;3\r\n\r\n4;5;6';
		for (const chunk of [1, 2, 3, 7, 1000]) {
			const { rows, unclosed, sep } = parse(text, chunk);
			expect(sep).toBe(';');
			expect(unclosed).toBe(0);
			expect(rows).toEqual([
				[1, ['a', 'b', 'c']],
				[2, ['1', 'x;"y"', '2']],
				[3, ['multi\r\nline', '', '3']],
				[6, ['4', '5', '6']]
			]);
		}
	});

	it('reports where an unclosed quote starts', () => {
		expect(parse('a,b\n1,2\n3,"open\nmore\n').unclosed).toBe(3);
	});
});
