/**
 * Overview: headline figures with their trend, and one value per region for the tile map.
 * Each theme's figures come from its own rollup with the filters the registry gives that rollup
 * (the same filters the theme pages apply: the heatmap and the "standards" headline agree).
 */
import type { Engine } from '$lib/engine/types';
import type { MapMeasure, ViewState } from '$lib/state/view-state';
import { slice, type Cube, type Mask } from '$lib/cubes/cube';
import { cubeWhere } from './registry';
import { ALLEGATION_FAMILY, pickCube } from './plan';
import type { CubeName } from '$lib/cubes/definitions';
import { cubeYearSpan } from './allegations-by-year';
import { alignedRate, countsByYear, denominatorsByRegion, PER, rateYears } from './rates';
import { rateInterval, wilsonInterval } from '$lib/stats/intervals';

export interface YearValue {
	year: number;
	value: number | null;
	/** The number of records behind the value (the denominator for shares). */
	n: number;
}

export interface Headline {
	id: 'allegations' | 'visits' | 'standards' | 'implemented';
	/**
	 * Per year, oldest first, over the filtered span. 'implemented': per year of issue, the share
	 * implemented within 12 months, for years whose recommendations have all had 12 months.
	 */
	series: YearValue[];
}

/** Per year (known years only, oldest first): the sum of `n` and a value computed from the year's rows. */
function perYear(cube: Cube, where: Record<string, Mask>, by: string[], value: (rows: Record<string, unknown>[]) => { value: number | null; n: number }): YearValue[] {
	const years = new Map<number, Record<string, unknown>[]>();
	for (const r of slice(cube, { where, by: ['year', ...by] })) {
		if (r.year === null) continue;
		const y = r.year as number;
		let list = years.get(y);
		if (!list) years.set(y, (list = []));
		list.push(r);
	}
	return [...years].map(([year, rows]) => ({ year, ...value(rows) }));
}

const sumN = (rows: Record<string, unknown>[], test: (r: Record<string, unknown>) => boolean = () => true) =>
	rows.reduce((s, r) => s + (test(r) ? (r.n as number) : 0), 0);

/** Share of findings meeting the standard among those with a verdict (meets = 1 of meets not null). */
function standardsShare(rows: Record<string, unknown>[]): { value: number | null; n: number } {
	const n = sumN(rows, (r) => r.meets !== null);
	return { value: n ? sumN(rows, (r) => r.meets === 1) / n : null, n };
}

function implementedShare(rows: Record<string, unknown>[]): { value: number | null; n: number } {
	const n = sumN(rows);
	return { value: n ? sumN(rows, (r) => r.status === 'implemented') / n : null, n };
}

/** Months a recommendation is given before the headline counts it: "implemented within 12 months". */
export const IMPLEMENTATION_WINDOW = 12;

/**
 * The headline's measure, like with like: of the recommendations issued in a year, the share
 * implemented within IMPLEMENTATION_WINDOW months of issue. Only years whose every recommendation
 * has had that long by the data's last month (`lastMonth`, yyyy-mm-dd) are kept: the share of all
 * implemented so far would fall for recent years only because they had less time.
 */
export function implementedWithinWindow(cube: Cube, where: Record<string, Mask>, lastMonth: string | null | undefined): YearValue[] {
	if (!lastMonth) return [];
	const [cy, cm] = lastMonth.split('-').map(Number);
	// A year's last issue month is December: it has had the window when cutoff - December >= window.
	const complete = (year: number) => cy * 12 + cm - (year * 12 + 12) >= IMPLEMENTATION_WINDOW;
	return perYear(cube, where, ['months', 'event'], (rows) => {
		const n = sumN(rows);
		const within = sumN(rows, (r) => r.event === 1 && r.months !== null && (r.months as number) <= IMPLEMENTATION_WINDOW);
		return { value: n ? within / n : null, n };
	}).filter((y) => complete(y.year));
}

export interface OverviewCubes {
	/** The smallest allegation rollup that fits the state (see plan.ts). */
	allegations: Cube;
	visits: Cube;
	findings: Cube;
	recommendations: Cube;
}

export function headlinesFromCubes(c: OverviewCubes, state: ViewState): Headline[] {
	const count = (rows: Record<string, unknown>[]) => ({ value: sumN(rows), n: sumN(rows) });
	return [
		{ id: 'allegations', series: perYear(c.allegations, cubeWhere(c.allegations, state), [], count) },
		{ id: 'visits', series: perYear(c.visits, cubeWhere(c.visits, state), [], count) },
		{ id: 'standards', series: perYear(c.findings, cubeWhere(c.findings, state), ['meets'], standardsShare) },
		{ id: 'implemented', series: implementedWithinWindow(c.recommendations, cubeWhere(c.recommendations, state), c.recommendations.meta.lastMonth) }
	];
}

export async function loadHeadlines(engine: Engine, state: ViewState): Promise<Headline[]> {
	return headlinesFromCubes(await overviewCubes(engine, state), state);
}

/** The four themes' rollups for totals under `state` (allegations: the smallest that fits). */
export async function overviewCubes(engine: Engine, state: ViewState): Promise<OverviewCubes> {
	const allegations = pickCube(ALLEGATION_FAMILY, state, { by: ['year'] });
	const [a, visits, findings, recommendations] = await Promise.all([allegations, 'visits', 'findings', 'recommendations'].map((n) => engine.cube(n as CubeName)));
	return { allegations: a, visits, findings, recommendations };
}

export interface RegionValue {
	region_code: string;
	value: number | null;
	/** Records behind the value: allegations (rates) or findings/recommendations (shares). */
	n: number;
	/**
	 * The value's numerator and denominator: allegations and resident-years (rates), or the records
	 * meeting the standard / implemented and `n` (shares). Pooled over regions they give the
	 * national value (nationalValue).
	 */
	count: number;
	base: number | null;
	/** 95% interval: exact Poisson for rates, Wilson for shares (src/lib/stats/intervals.ts); null with the value. */
	low: number | null;
	high: number | null;
}

/** The measure over every region with a value: Σ count / Σ base (× 100,000 for the allegations rate). */
export function nationalValue(values: RegionValue[], measure: MapMeasure): number | null {
	let count = 0;
	let base = 0;
	for (const v of values) {
		if (v.value == null || v.base == null) continue;
		count += v.count;
		base += v.base;
	}
	return base > 0 ? (count / base) * (measure === 'allegations' ? PER.residents : 1) : null;
}

/**
 * One value per region for the map, under every filter except the region filter (the map shows
 * all regions; the selected ones are outlined):
 * - allegations: per 100,000 residents a year (allegations over resident-years of the same years);
 * - conditions: share of findings meeting the standard;
 * - recommendations: share implemented.
 */
export function mapValuesFromCube(cube: Cube, state: ViewState, measure: MapMeasure, regionYear?: Cube): RegionValue[] {
	const byRegion = (by: string[], keep: Record<string, (v: unknown) => boolean> = {}) => {
		const where = cubeWhere(cube, state, { skip: ['region'], keep: { region: (v) => v !== null, ...keep } });
		const groups = new Map<string, Record<string, unknown>[]>();
		for (const r of slice(cube, { where, by: ['region', ...by] })) {
			const code = r.region as string;
			let list = groups.get(code);
			if (!list) groups.set(code, (list = []));
			list.push(r);
		}
		return groups;
	};
	if (measure === 'allegations') {
		if (!regionYear) throw new Error('The allegations map needs the region_year rollup');
		// Each region's allegations and residents over the same years (rates.ts).
		const counts = byRegion(['year'], { year: (v) => v !== null });
		const years = rateYears(state, cubeYearSpan(cube));
		return [...denominatorsByRegion(regionYear, state, 'residents')].map(([region_code, residents]) => {
			const rate = alignedRate(countsByYear(counts.get(region_code) ?? []), residents, years, PER.residents);
			const ci = rate.value == null ? null : rateInterval(rate.count, rate.denominator, PER.residents);
			return { region_code, value: rate.value, n: rate.count, count: rate.count, base: rate.denominator, low: ci?.low ?? null, high: ci?.high ?? null };
		});
	}
	const groups = byRegion([measure === 'conditions' ? 'meets' : 'status']);
	const share = measure === 'conditions' ? standardsShare : implementedShare;
	const hit = (r: Record<string, unknown>) => (measure === 'conditions' ? r.meets === 1 : r.status === 'implemented');
	return [...groups].map(([region_code, rows]) => {
		const { value, n } = share(rows);
		const count = sumN(rows, hit);
		const ci = value == null ? null : wilsonInterval(count, n);
		return { region_code, value, n, count, base: value == null ? null : n, low: ci?.low ?? null, high: ci?.high ?? null };
	});
}

/** The rollups the map reads for a measure: loadMapValues reads exactly these (the measure's own, then for allegations the population by region and year). */
export function mapCubes(state: ViewState, measure: MapMeasure): CubeName[] {
	if (measure === 'allegations') return [pickCube(ALLEGATION_FAMILY, state, { by: ['region', 'year'], skip: ['region'] }), 'region_year'];
	return [measure === 'conditions' ? 'findings' : 'recommendations'];
}

export async function loadMapValues(engine: Engine, state: ViewState, measure: MapMeasure): Promise<RegionValue[]> {
	const [name, denominators] = mapCubes(state, measure);
	const [cube, regionYear] = await Promise.all([engine.cube(name), denominators ? engine.cube(denominators) : undefined]);
	return mapValuesFromCube(cube, state, measure, regionYear);
}

export interface OverviewView {
	headlines: Headline[];
	map: RegionValue[];
}

export async function loadOverviewView(engine: Engine, state: ViewState): Promise<OverviewView> {
	const [headlines, map] = await Promise.all([loadHeadlines(engine, state), loadMapValues(engine, state, state.map)]);
	return { headlines, map };
}
