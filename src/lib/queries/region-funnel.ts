/**
 * The funnel plot of regional allegation rates: each region's allegations per 100,000 residents a
 * year against the allegations it would have at the national rate, with exact Poisson control
 * limits (src/lib/stats/intervals.ts). The regions' counts and resident-years are those of the
 * region map (loadMapValues: the same rollups, filters and aligned years; the region filter is left
 * out, as on the map). The national rate pools the regions shown: Σ allegations / Σ resident-years.
 */
import type { Engine } from '$lib/engine/types';
import type { ViewState } from '$lib/state/view-state';
import { funnelLimits, rateInterval, type FunnelLimits } from '$lib/stats/intervals';
import { loadMapValues, nationalValue, type RegionValue } from './overview';
import { PER } from './rates';

export interface FunnelRegion {
	region_code: string;
	/** Allegations over the aligned years. */
	count: number;
	/** Resident-years over the same years. */
	exposure: number;
	/** Allegations per 100,000 residents a year. */
	rate: number;
	/** Exact (Garwood) 95% interval of the rate. */
	low: number;
	high: number;
	/** Control limits at this region's exposure; `expected` is the count at the national rate. */
	limits: FunnelLimits;
}

export interface FunnelCurvePoint extends FunnelLimits {
	exposure: number;
}

export interface RegionFunnel {
	/** The national rate per 100,000 residents a year; null when no region has a rate. */
	national: number | null;
	/** Regions with a rate, by expected count (smallest first). */
	regions: FunnelRegion[];
	/** The limits along the x axis (by expected count), for drawing the funnel. */
	curve: FunnelCurvePoint[];
}

/** Points of each limit curve. */
const CURVE_POINTS = 80;

export function funnelFromValues(values: RegionValue[]): RegionFunnel {
	const national = nationalValue(values, 'allegations');
	if (national == null || !(national > 0)) return { national, regions: [], curve: [] };
	const regions: FunnelRegion[] = [];
	for (const v of values) {
		if (v.value == null || v.base == null || !(v.base > 0)) continue;
		const ci = rateInterval(v.count, v.base, PER.residents)!;
		regions.push({ region_code: v.region_code, count: v.count, exposure: v.base, rate: v.value, low: ci.low, high: ci.high, limits: funnelLimits(national, v.base, PER.residents) });
	}
	regions.sort((a, b) => a.exposure - b.exposure || (a.region_code < b.region_code ? -1 : 1));
	// The curves run from a twentieth of the smallest exposure to a tenth past the largest, on a
	// square-root spacing (the limits change fastest at small exposures).
	const maxExposure = Math.max(...regions.map((r) => r.exposure)) * 1.1;
	const minExposure = Math.min(...regions.map((r) => r.exposure)) / 20;
	const curve: FunnelCurvePoint[] = [];
	for (let i = 0; i <= CURVE_POINTS; i++) {
		const t = i / CURVE_POINTS;
		const s = Math.sqrt(minExposure) + t * (Math.sqrt(maxExposure) - Math.sqrt(minExposure));
		const exposure = s * s;
		curve.push({ exposure, ...funnelLimits(national, exposure, PER.residents) });
	}
	return { national, regions, curve };
}

export async function loadRegionFunnel(engine: Engine, state: ViewState): Promise<RegionFunnel> {
	return funnelFromValues(await loadMapValues(engine, state, 'allegations'));
}
