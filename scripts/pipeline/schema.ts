/**
 * The monitors' files the pipeline accepts (docs/data-pipeline.md, section 1): for each table its
 * columns, whether a column may be missing, how a value is read and what happens to it. Columns of
 * kind 'drop' (names, birth dates after use, free text) are read only to be thrown away.
 */
import type { CodeListName } from '../lib/reference.ts';

export type ValueKind =
	| { kind: 'key' } // identifier typed by the secretariat; unique where `unique` is set
	| { kind: 'ref'; table: InputTable; column: string } // must exist in another file
	| { kind: 'region' }
	| { kind: 'code'; list: CodeListName; emptyAs?: string }
	| { kind: 'date'; allowEmpty?: boolean }
	| { kind: 'birth_date' } // used for the age band, then dropped
	| { kind: 'int'; min?: number; max?: number; allowEmpty?: boolean; what?: string } // what: the counted thing, for the message on a value above max
	| { kind: 'decimal'; allowEmpty?: boolean }
	| { kind: 'bool' }
	| { kind: 'drop' };

export interface ColumnSpec {
	name: string;
	optional?: boolean; // the column may be missing from the file
	value: ValueKind;
}

export type InputTable = 'facilities' | 'population' | 'visits' | 'findings' | 'allegations' | 'recommendations' | 'recommendation_updates';

export interface TableSpec {
	name: InputTable;
	columns: ColumnSpec[];
	/** Columns that together must be unique. */
	unique?: string[];
}

const thisYear = new Date().getUTCFullYear();

/**
 * Plausible ranges of findings.value by the indicator's unit (data/codes.json): a share is 0-1
 * (occupancy may exceed 1 in an overcrowded facility, up to 3), living space is m² per person.
 * A value above the range that fits once divided by 100 is taken for a percentage (the message
 * suggests the share).
 */
export const FINDING_VALUE_RANGE: Record<string, { max: number; what: string }> = {
	share: { max: 1, what: 'a share from 0 to 1' },
	occupancy_rate: { max: 3, what: 'a share of capacity from 0 to 3' },
	m2: { max: 50, what: 'm² per person, at most 50' },
	bool: { max: 1, what: '0 or 1 (or no value)' }
};

/** Order matters: a table is read after the tables it refers to. */
export const INPUT_TABLES: TableSpec[] = [
	{
		name: 'facilities',
		unique: ['facility_code'],
		columns: [
			{ name: 'facility_code', value: { kind: 'key' } },
			{ name: 'facility_name', value: { kind: 'drop' } },
			{ name: 'region', value: { kind: 'region' } },
			{ name: 'facility_type', value: { kind: 'code', list: 'facility_type' } },
			{ name: 'authority', value: { kind: 'code', list: 'authority' } },
			{ name: 'security_level', optional: true, value: { kind: 'code', list: 'security_level', emptyAs: '' } },
			{ name: 'capacity', value: { kind: 'int', min: 0, max: 10_000, what: 'places in one facility' } },
			{ name: 'opened_year', optional: true, value: { kind: 'int', min: 1800, max: thisYear, allowEmpty: true } },
			{ name: 'closed_year', optional: true, value: { kind: 'int', min: 1800, max: thisYear, allowEmpty: true } }
		]
	},
	{
		name: 'population',
		unique: ['region', 'year'],
		columns: [
			{ name: 'region', value: { kind: 'region' } },
			{ name: 'year', value: { kind: 'int', min: 2000, max: thisYear } },
			{ name: 'residents', value: { kind: 'int', min: 0, max: 5_000_000, what: 'residents of one region' } },
			{ name: 'detainees', value: { kind: 'int', min: 0, max: 100_000, what: 'people held in one region' } }
		]
	},
	{
		name: 'visits',
		unique: ['visit_code'],
		columns: [
			{ name: 'visit_code', value: { kind: 'key' } },
			{ name: 'facility_code', value: { kind: 'ref', table: 'facilities', column: 'facility_code' } },
			{ name: 'visit_date', value: { kind: 'date' } },
			{ name: 'visit_type', value: { kind: 'code', list: 'visit_type' } },
			{ name: 'body', value: { kind: 'code', list: 'body' } },
			{ name: 'team_size', value: { kind: 'int', min: 1, max: 50, what: 'members of one visiting team' } },
			{ name: 'detainees_present', value: { kind: 'int', min: 0, max: 20_000, what: 'people held in one facility' } }
		]
	},
	{
		name: 'findings',
		unique: ['visit_code', 'indicator'],
		columns: [
			{ name: 'visit_code', value: { kind: 'ref', table: 'visits', column: 'visit_code' } },
			{ name: 'indicator', value: { kind: 'code', list: 'indicator' } },
			{ name: 'value', optional: true, value: { kind: 'decimal', allowEmpty: true } },
			{ name: 'meets_standard', value: { kind: 'bool' } },
			{ name: 'notes', optional: true, value: { kind: 'drop' } }
		]
	},
	{
		name: 'allegations',
		unique: ['case_code'],
		columns: [
			{ name: 'case_code', value: { kind: 'key' } },
			{ name: 'report_date', value: { kind: 'date' } },
			{ name: 'facility_code', value: { kind: 'ref', table: 'facilities', column: 'facility_code' } },
			{ name: 'channel', value: { kind: 'code', list: 'channel' } },
			{ name: 'allegation_type', value: { kind: 'code', list: 'allegation_type' } },
			{ name: 'perpetrator', value: { kind: 'code', list: 'perpetrator' } },
			{ name: 'victim_name', value: { kind: 'drop' } },
			{ name: 'victim_birth_date', value: { kind: 'birth_date' } },
			{ name: 'victim_sex', value: { kind: 'code', list: 'victim_sex', emptyAs: 'unknown' } },
			{ name: 'description', value: { kind: 'drop' } },
			{ name: 'outcome', value: { kind: 'code', list: 'outcome' } },
			{ name: 'outcome_date', optional: true, value: { kind: 'date', allowEmpty: true } }
		]
	},
	{
		name: 'recommendations',
		unique: ['recommendation_code'],
		columns: [
			{ name: 'recommendation_code', value: { kind: 'key' } },
			{ name: 'visit_code', value: { kind: 'ref', table: 'visits', column: 'visit_code' } },
			{ name: 'issued_date', value: { kind: 'date' } },
			{ name: 'theme', value: { kind: 'code', list: 'theme' } },
			{ name: 'addressee', value: { kind: 'code', list: 'authority' } },
			{ name: 'priority', value: { kind: 'code', list: 'priority' } },
			{ name: 'text', value: { kind: 'drop' } }
		]
	},
	{
		name: 'recommendation_updates',
		columns: [
			{ name: 'recommendation_code', value: { kind: 'ref', table: 'recommendations', column: 'recommendation_code' } },
			{ name: 'update_date', value: { kind: 'date' } },
			{ name: 'status', value: { kind: 'code', list: 'status' } },
			{ name: 'comment', optional: true, value: { kind: 'drop' } }
		]
	}
];
