import { describe, expect, it } from 'vitest';
import { tableToCsv } from '../../src/lib/charts/table';

describe('tableToCsv', () => {
	const columns = [
		{ key: 'year', label: 'Год', numeric: true },
		{ key: 'name', label: 'Name, full' }
	];
	it.each([
		['plain values', [{ year: 2022, name: 'Алматы' }], 'Год,"Name, full"\r\n2022,Алматы\r\n'],
		['nulls become empty cells', [{ year: null, name: null }], 'Год,"Name, full"\r\n,\r\n'],
		['quotes are doubled', [{ year: 1, name: 'a "b"' }], 'Год,"Name, full"\r\n1,"a ""b"""\r\n'],
		['formula-like text is defused', [{ year: 1, name: '=HYPERLINK("x")' }], 'Год,"Name, full"\r\n1,"\'=HYPERLINK(""x"")"\r\n'],
		['negative numbers stay numbers', [{ year: -3, name: 'x' }], 'Год,"Name, full"\r\n-3,x\r\n']
	])('%s', (_, rows, csv) => {
		expect(tableToCsv({ columns, rows })).toBe(csv);
	});
});
