/**
 * One number format per measure, used by every chart, tooltip, summary, table and the printed
 * brief, so a figure reads the same wherever it is quoted (a region's rate is not 4.4 on the map
 * and 4.38 on the funnel).
 */
import { formatNumber, formatPercent } from './format';

export const DECIMALS = {
	/**
	 * Allegation rates (per 100,000 residents a year, per 1,000 detainees): values of about 0.5-10,
	 * where one decimal would hide differences between regions that the intervals can tell apart.
	 */
	rate: 2,
	/** Shares of records: findings meeting the standard, recommendations implemented, each status. */
	share: 0,
	/**
	 * Parts of a whole that can be small: allegations by type, perpetrator, channel and outcome, the
	 * steps of the outcome funnel, a region's part of the national count; 0.4% is not 0%.
	 */
	part: 1,
	/** Living space per person, square metres. */
	area: 1
} as const;

export const formatRate = (locale: string, v: number | null | undefined) => formatNumber(locale, v, DECIMALS.rate);
export const formatShare = (locale: string, v: number | null | undefined) => formatPercent(locale, v, DECIMALS.share);
export const formatPart = (locale: string, v: number | null | undefined) => formatPercent(locale, v, DECIMALS.part);
export const formatArea = (locale: string, v: number | null | undefined) => formatNumber(locale, v, DECIMALS.area);
