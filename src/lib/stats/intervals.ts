/**
 * Uncertainty of small counts, written out here (no statistics library):
 *
 * - exact (Garwood 1936) Poisson interval for a count, and so for a rate = count / exposure:
 *   the lower limit is the gamma(x, 1) quantile at α/2 (0 for x = 0), the upper the gamma(x + 1, 1)
 *   quantile at 1 - α/2 (half the chi-square quantiles with 2x and 2x + 2 degrees of freedom);
 * - Wilson (1927) score interval for a share k / n;
 * - funnel-plot control limits for a rate against a target rate (Spiegelhalter 2005, "Funnel plots
 *   for comparing institutional performance", Statistics in Medicine 24: the exact Poisson limits
 *   with the interpolation that smooths the count's discreteness).
 *
 * The gamma functions: log Γ by Stirling's series after shifting the argument to 10 or more; the
 * regularized incomplete gamma by its power series below a + 1 and by its continued fraction
 * (modified Lentz) above; quantiles by bisection, polished by Newton steps. Pure: no DOM.
 */

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. Stirling's series (seven terms) is accurate to ~1e-16 for x ≥ 10; smaller x are shifted up. */
export function logGamma(x: number): number {
	if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
	let shift = 0;
	while (x < 10) {
		shift += Math.log(x);
		x += 1;
	}
	// Σ B(2k) / (2k (2k - 1) x^(2k-1)) for k = 1..7 (Bernoulli numbers 1/6, -1/30, 1/42, -1/30, 5/66, -691/2730, 7/6).
	const coefficients = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];
	const inv2 = 1 / (x * x);
	let power = 1 / x;
	let series = 0;
	for (const c of coefficients) {
		series += c * power;
		power *= inv2;
	}
	return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series - shift;
}

const EPS = 1e-15;
const TINY = 1e-300;

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0. */
export function gammaP(a: number, x: number): number {
	if (x <= 0) return 0;
	return x < a + 1 ? gammaSeries(a, x) : 1 - gammaFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), computed without cancellation. */
export function gammaQ(a: number, x: number): number {
	if (x <= 0) return 1;
	return x < a + 1 ? 1 - gammaSeries(a, x) : gammaFraction(a, x);
}

/** e^-x x^a / Γ(a + 1) · Σ x^n / ((a+1)…(a+n)): P(a, x) for x < a + 1. */
function gammaSeries(a: number, x: number): number {
	let term = 1 / a;
	let sum = term;
	for (let n = 1; n < 10_000; n++) {
		term *= x / (a + n);
		sum += term;
		if (Math.abs(term) < Math.abs(sum) * EPS) break;
	}
	return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) for x ≥ a + 1 by the continued fraction 1/(x+1-a- 1·(1-a)/(x+3-a- 2·(2-a)/(x+5-a- …))). */
function gammaFraction(a: number, x: number): number {
	let b = x + 1 - a;
	let c = 1 / TINY;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < 10_000; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < TINY) d = TINY;
		c = b + an / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		const delta = d * c;
		h *= delta;
		if (Math.abs(delta - 1) < EPS) break;
	}
	return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/**
 * Answers of gammaQuantile already computed, by shape and probability. A filter change recomputes
 * intervals for the same few hundred counts at the same two or four probabilities, and one
 * quantile costs a bisection of ~40 incomplete-gamma evaluations (about 0.1 ms): without this, the
 * overview's heatmap alone spent ~15 ms a change here. Bounded: cleared when it gets large.
 */
const quantileMemo = new Map<string, number>();
const QUANTILE_MEMO_MAX = 8192;

/** The p-quantile of the gamma(shape a, scale 1) distribution: x with P(a, x) = p. */
export function gammaQuantile(a: number, p: number): number {
	if (!(a > 0)) throw new RangeError(`gammaQuantile needs a > 0, got ${a}`);
	if (!(p >= 0 && p <= 1)) throw new RangeError(`gammaQuantile needs 0 ≤ p ≤ 1, got ${p}`);
	if (p === 0) return 0;
	if (p === 1) return Infinity;
	const key = `${a} ${p}`;
	const known = quantileMemo.get(key);
	if (known !== undefined) return known;
	const x = solveGammaQuantile(a, p);
	if (quantileMemo.size >= QUANTILE_MEMO_MAX) quantileMemo.clear();
	quantileMemo.set(key, x);
	return x;
}

function solveGammaQuantile(a: number, p: number): number {
	let lo = 0;
	let hi = Math.max(1, a);
	while (gammaP(a, hi) < p) {
		lo = hi;
		hi *= 2;
	}
	for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		const mid = (lo + hi) / 2;
		if (gammaP(a, mid) < p) lo = mid;
		else hi = mid;
	}
	// Newton on P(a, x) - p with dP/dx = e^-x x^(a-1) / Γ(a), kept inside the bracket.
	let x = (lo + hi) / 2;
	for (let i = 0; i < 3; i++) {
		const density = Math.exp(-x + (a - 1) * Math.log(x) - logGamma(a));
		if (!(density > 0)) break;
		const next = x - (gammaP(a, x) - p) / density;
		if (!(next > 0) || !Number.isFinite(next)) break;
		x = next;
	}
	return x;
}

/** The standard normal quantile: Φ(z) = (1 + P(1/2, z²/2)) / 2 for z ≥ 0, inverted. */
export function normalQuantile(p: number): number {
	if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
	if (p === 0.5) return 0;
	const q = Math.abs(2 * p - 1);
	const z = Math.sqrt(2 * gammaQuantile(0.5, q));
	return p < 0.5 ? -z : z;
}

export interface Interval {
	low: number;
	high: number;
}

/** Exact (Garwood) interval for the mean of a Poisson count `x` (a whole number ≥ 0), at `level`. */
export function poissonInterval(x: number, level = 0.95): Interval {
	if (!(Number.isInteger(x) && x >= 0)) throw new RangeError(`poissonInterval needs a whole count, got ${x}`);
	const alpha = 1 - level;
	return { low: x === 0 ? 0 : gammaQuantile(x, alpha / 2), high: gammaQuantile(x + 1, 1 - alpha / 2) };
}

/**
 * Exact interval for a rate: the count's interval divided by the exposure (person-years), times
 * `per` (100,000 for "per 100,000 residents"). Null without a positive exposure.
 */
export function rateInterval(count: number, exposure: number | null, per = 1, level = 0.95): Interval | null {
	if (exposure == null || !(exposure > 0)) return null;
	const c = poissonInterval(count, level);
	return { low: (c.low / exposure) * per, high: (c.high / exposure) * per };
}

/** Wilson score interval for a share `k` of `n` at `level`; null for n = 0. */
export function wilsonInterval(k: number, n: number, level = 0.95): Interval | null {
	if (!(n > 0)) return null;
	const z = normalQuantile(1 - (1 - level) / 2);
	const p = k / n;
	const z2n = (z * z) / n;
	const centre = (p + z2n / 2) / (1 + z2n);
	const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
	// At k = 0 (k = n) the limit is 0 (1) exactly; the arithmetic would leave a rounding error.
	return { low: k <= 0 ? 0 : Math.max(0, centre - half), high: k >= n ? 1 : Math.min(1, centre + half) };
}

/** Poisson CDF: P(X ≤ r) for X ~ Poisson(λ); 0 for r < 0. */
export function poissonCdf(r: number, lambda: number): number {
	if (r < 0) return 0;
	if (lambda <= 0) return 1;
	return gammaQ(Math.floor(r) + 1, lambda);
}

/**
 * The count at which a funnel's control limit lies for expected count λ and tail probability p
 * (0.025 and 0.975 for the 95% limits, 0.001 and 0.999 for 99.8%): r_p, the smallest whole r with
 * P(X ≤ r) ≥ p, less the interpolation α = (P(X ≤ r_p) - p) / P(X = r_p) (Spiegelhalter 2005,
 * appendix A.1.2). Continuous in λ, so the limit lines are smooth.
 */
export function poissonLimitCount(lambda: number, p: number): number {
	if (!(lambda > 0)) return 0;
	// Start near r_p (the normal approximation), take P(X ≤ r) there once, then walk with the
	// probability mass P(X = r), which steps by a factor λ/r: a few multiplications per step
	// instead of a bisection of ~15 incomplete-gamma evaluations (a funnel draws its four limits
	// at ~100 exposures on every filter change).
	let r = Math.max(0, Math.floor(lambda + normalQuantile(p) * Math.sqrt(lambda)));
	let cdf = poissonCdf(r, lambda);
	let mass = Math.exp(-lambda + r * Math.log(lambda) - logGamma(r + 1));
	if (cdf >= p) {
		// Down while P(X ≤ r - 1) still reaches p.
		while (r > 0 && cdf - mass >= p) {
			cdf -= mass;
			mass *= r / lambda;
			r--;
		}
	} else {
		while (cdf < p) {
			r++;
			mass *= lambda / r;
			cdf += mass;
		}
	}
	return r - (cdf - p) / mass;
}

export interface FunnelLimits {
	/** The expected count at the target rate: target × exposure. */
	expected: number;
	/** Rate limits (in the target's units). */
	low95: number;
	high95: number;
	low998: number;
	high998: number;
}

/**
 * Control limits of a funnel plot at one exposure: the rates inside which an observed rate falls
 * with probability 95% (and 99.8%) when the unit's true rate is `target`. `target` is per one
 * person-year times `per` (e.g. 4.4 per 100,000), `exposure` in person-years.
 */
export function funnelLimits(target: number, exposure: number, per = 1): FunnelLimits {
	const expected = (target / per) * exposure;
	// A lower limit below zero (tiny expected counts) is a rate of zero.
	const at = (p: number) => (expected > 0 ? (Math.max(0, poissonLimitCount(expected, p)) / exposure) * per : 0);
	return { expected, low95: at(0.025), high95: at(0.975), low998: at(0.001), high998: at(0.999) };
}

/** Where an estimate's interval lies against a reference value: wholly above, wholly below, or around it. */
export type Comparison = 'above' | 'below' | 'within';

export function compareToReference(interval: Interval | null, reference: number | null): Comparison {
	if (!interval || reference == null) return 'within';
	if (interval.low > reference) return 'above';
	if (interval.high < reference) return 'below';
	return 'within';
}

/** Fewer than this many records behind a rate or share: summaries say it rests on few cases. */
export const FEW_CASES = 20;
