/**
 * The Kaplan-Meier product-limit estimator, pure TypeScript (no engine, no DOM).
 *
 * Input: observations of a duration (here: months from issue to implementation) with an event
 * flag (true = implemented, false = censored: still open at the data's last month, or rejected).
 * Observations may carry a `count` so SQL can send one row per (duration, event) instead of one
 * per recommendation. At a time where events and censorings tie, the events come first (the
 * usual convention: a censored subject was still at risk at that time).
 *
 * S(t) = prod over event times t_i <= t of (1 - d_i / n_i), n_i = number still at risk at t_i
 * (duration >= t_i), d_i = events at t_i.
 */
export interface SurvivalObservation {
	/** Duration, >= 0 (months). */
	time: number;
	/** True if the event (implementation) was observed at `time`; false if censored there. */
	event: boolean;
	/** How many identical observations this row stands for (default 1). */
	count?: number;
}

export interface KmStep {
	time: number;
	/** Number at risk just before `time`. */
	atRisk: number;
	events: number;
	censored: number;
	/** S(time): share without the event after this time. */
	survival: number;
}

export interface KmCurve {
	/** Total number of observations. */
	n: number;
	events: number;
	censored: number;
	/** One step per distinct time (events or censorings), ascending. */
	steps: KmStep[];
	/** The largest observed time (the curve is defined up to here). */
	maxTime: number;
}

export function kaplanMeier(observations: readonly SurvivalObservation[]): KmCurve {
	const byTime = new Map<number, { events: number; censored: number }>();
	let n = 0;
	for (const o of observations) {
		const c = o.count ?? 1;
		if (!(c > 0)) continue;
		if (!Number.isFinite(o.time) || o.time < 0) throw new RangeError(`kaplanMeier: invalid time ${o.time}`);
		n += c;
		let cell = byTime.get(o.time);
		if (!cell) byTime.set(o.time, (cell = { events: 0, censored: 0 }));
		if (o.event) cell.events += c;
		else cell.censored += c;
	}
	const times = [...byTime.keys()].sort((a, b) => a - b);
	let atRisk = n;
	let survival = 1;
	let events = 0;
	let censored = 0;
	const steps: KmStep[] = [];
	for (const time of times) {
		const cell = byTime.get(time)!;
		if (cell.events > 0) survival *= 1 - cell.events / atRisk;
		steps.push({ time, atRisk, events: cell.events, censored: cell.censored, survival });
		events += cell.events;
		censored += cell.censored;
		atRisk -= cell.events + cell.censored;
	}
	return { n, events, censored, steps, maxTime: times.length ? times[times.length - 1] : 0 };
}

/** S(t): the estimate at time t (1 before the first event; null beyond the last observed time). */
export function survivalAt(curve: KmCurve, t: number): number | null {
	if (t > curve.maxTime) return null;
	let s = 1;
	for (const step of curve.steps) {
		if (step.time > t) break;
		s = step.survival;
	}
	return s;
}

/**
 * The time by which a share `p` of subjects had the event: the smallest t with S(t) <= 1 - p
 * (p = 0.5 gives the median). Null when the curve never gets there ("not reached").
 */
export function timeToShare(curve: KmCurve, p: number): number | null {
	const target = 1 - p;
	// A tiny tolerance, so 1 - 0.5 = 0.5 exactly matches a survival of 0.5000000000000001.
	for (const step of curve.steps) if (step.events > 0 && step.survival <= target + 1e-12) return step.time;
	return null;
}

/** Number at risk at time t: subjects whose duration is >= t. */
export function atRiskAt(curve: KmCurve, t: number): number {
	for (const step of curve.steps) if (step.time >= t) return step.atRisk;
	return 0;
}

/** Points for a step curve (d3.curveStepAfter): starts at (0, 1), one point per event time, ends at maxTime. */
export function curvePoints(curve: KmCurve): { time: number; survival: number }[] {
	const points = [{ time: 0, survival: 1 }];
	for (const step of curve.steps) if (step.events > 0) points.push({ time: step.time, survival: step.survival });
	const last = points[points.length - 1];
	if (curve.maxTime > last.time) points.push({ time: curve.maxTime, survival: last.survival });
	return points;
}
