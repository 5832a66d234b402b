/**
 * The interval functions against values found without them: published tables (Garwood's Poisson
 * limits as tabulated e.g. in Ulm 1990 / Geigy; the Wilson intervals of Newcombe 1998, table I,
 * method 3), arithmetic done by hand here, and figures from SciPy 1.17 (scipy.stats.chi2.ppf,
 * gamma.ppf/cdf/sf, poisson.ppf/cdf, scipy.special.gammaln), pasted as constants with the call that
 * produced them.
 */
import { describe, expect, it } from 'vitest';
import {
	compareToReference,
	funnelLimits,
	gammaP,
	gammaQ,
	gammaQuantile,
	logGamma,
	normalQuantile,
	poissonCdf,
	poissonInterval,
	poissonLimitCount,
	rateInterval,
	wilsonInterval
} from '../../src/lib/stats/intervals';

describe('gamma functions', () => {
	it('log Γ: whole numbers are log factorials, Γ(1/2) = √π, and SciPy gammaln values', () => {
		expect(logGamma(1)).toBeCloseTo(0, 13);
		expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
		expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 12);
		expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
		expect(logGamma(0.3)).toBeCloseTo(1.0957979948180756, 12); // gammaln(0.3)
		expect(logGamma(123.4)).toBeCloseTo(469.3360974421906, 9); // gammaln(123.4)
	});
	it('P(1, x) = 1 - e^-x and P(2, x) = 1 - (1 + x) e^-x (by hand)', () => {
		for (const x of [0.01, 0.5, 1, 2, 3, 7.5, 30]) {
			expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 13);
			expect(gammaP(2, x)).toBeCloseTo(1 - (1 + x) * Math.exp(-x), 13);
			expect(gammaP(2, x) + gammaQ(2, x)).toBeCloseTo(1, 14);
		}
		expect(gammaP(2.2, 3.7)).toBeCloseTo(0.8555602506615994, 12); // gamma.cdf(3.7, 2.2)
		expect(gammaQ(1000, 900)).toBeCloseTo(0.9994500977342882, 12); // gamma.sf(900, 1000)
	});
	it('quantiles invert P and match SciPy gamma.ppf', () => {
		expect(gammaQuantile(2.5, 0.3)).toBeCloseTo(1.4999540663799533, 9);
		expect(gammaQuantile(0.7, 0.99)).toBeCloseTo(3.875738677240161, 9);
		expect(gammaQuantile(1000, 0.01)).toBeCloseTo(927.9081597966425, 7);
		expect(gammaQuantile(1, 0.5)).toBeCloseTo(Math.log(2), 12); // exponential median
	});
	it('normal quantiles: 1.959964 (97.5%) and 3.090232 (99.9%)', () => {
		expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
		expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167813, 10);
		expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 10);
	});
	it('answers the same when asked again in any order (remembered answers are keyed by shape and probability)', () => {
		const asks: [number, number, number][] = [
			[2.5, 0.3, 1.4999540663799533],
			[0.7, 0.99, 3.875738677240161],
			[2.5, 0.99, gammaQuantile(2.5, 0.99)],
			[0.3, 0.7, gammaQuantile(0.3, 0.7)]
		];
		for (let round = 0; round < 3; round++)
			for (const [a, p, x] of round % 2 ? [...asks].reverse() : asks) expect(gammaQuantile(a, p)).toBeCloseTo(x, 9);
		expect(gammaQuantile(2.5, 0.99)).not.toBeCloseTo(gammaQuantile(0.99, 2.5 / 10), 3);
	});

});

describe('exact Poisson interval (Garwood)', () => {
	// Published table values (4 significant digits) and SciPy chi2.ppf(q, df) / 2.
	const table: [number, number, number][] = [
		[0, 0, 3.6888794541139354],
		[1, 0.025317807984289876, 5.571643390938898],
		[2, 0.24220927854396496, 7.22468766772396],
		[5, 1.6234863901184207, 11.66833207932267],
		[10, 4.7953886961324335, 18.39035604201778],
		[20, 12.216519585403944, 30.8883779026746],
		[50, 37.110963737461866, 65.91876666433681],
		[100, 81.36399125092314, 121.62679379242638]
	];
	for (const [x, low, high] of table) {
		it(`x = ${x}: [${low.toFixed(4)}, ${high.toFixed(3)}]`, () => {
			const i = poissonInterval(x);
			expect(i.low).toBeCloseTo(low, 8);
			expect(i.high).toBeCloseTo(high, 8);
		});
	}
	it('the printed table: x = 0 [0, 3.689], x = 1 [0.0253, 5.572], x = 10 [4.795, 18.39], x = 50 [37.11, 65.92]', () => {
		expect(poissonInterval(0).high.toFixed(3)).toBe('3.689');
		expect(poissonInterval(1).low.toFixed(4)).toBe('0.0253');
		expect(poissonInterval(1).high.toFixed(3)).toBe('5.572');
		expect(poissonInterval(10).low.toFixed(3)).toBe('4.795');
		expect(poissonInterval(10).high.toFixed(2)).toBe('18.39');
		expect(poissonInterval(50).low.toFixed(2)).toBe('37.11');
		expect(poissonInterval(50).high.toFixed(2)).toBe('65.92');
	});
	it('x = 0 upper limit is -ln(0.025) (by hand: P(X = 0) = e^-μ = 0.025)', () => {
		expect(poissonInterval(0).high).toBeCloseTo(-Math.log(0.025), 12);
	});
	it('defining property: P(X ≥ x | low) = P(X ≤ x | high) = 2.5%, by summing the Poisson probabilities here', () => {
		const pmfSum = (from: number, to: number, mu: number) => {
			let s = 0;
			for (let k = from; k <= to; k++) s += Math.exp(k * Math.log(mu) - mu - logFactorial(k));
			return s;
		};
		const logFactorial = (k: number) => {
			let s = 0;
			for (let i = 2; i <= k; i++) s += Math.log(i);
			return s;
		};
		for (const x of [3, 17, 42]) {
			const { low, high } = poissonInterval(x);
			expect(1 - pmfSum(0, x - 1, low)).toBeCloseTo(0.025, 10);
			expect(pmfSum(0, x, high)).toBeCloseTo(0.025, 10);
		}
	});
	it('rates: the count interval over the exposure, times the base; none without an exposure', () => {
		const r = rateInterval(10, 250_000, 100_000)!;
		expect(r.low).toBeCloseTo((4.7953886961324335 / 250_000) * 100_000, 10);
		expect(r.high).toBeCloseTo((18.39035604201778 / 250_000) * 100_000, 10);
		expect(rateInterval(3, null)).toBeNull();
		expect(rateInterval(3, 0)).toBeNull();
		expect(() => poissonInterval(2.5)).toThrow();
	});
});

describe('Wilson interval for a share', () => {
	it('Newcombe (1998) table I, method 3', () => {
		const cases: [number, number, number, number][] = [
			[81, 263, 0.2553, 0.3662],
			[15, 148, 0.0624, 0.1605],
			[0, 20, 0, 0.1611],
			[1, 29, 0.0061, 0.1718]
		];
		for (const [k, n, low, high] of cases) {
			const w = wilsonInterval(k, n)!;
			expect(w.low, `${k}/${n}`).toBeCloseTo(low, 4);
			expect(w.high, `${k}/${n}`).toBeCloseTo(high, 4);
		}
	});
	it('5 of 10, by hand: 0.5 ± 1.96·√(0.025 + 0.0096)/1.3842 = [0.2366, 0.7634]', () => {
		const w = wilsonInterval(5, 10)!;
		expect(w.low).toBeCloseTo(0.2366, 4);
		expect(w.high).toBeCloseTo(0.7634, 4);
		expect(w.low + w.high).toBeCloseTo(1, 12);
		expect(wilsonInterval(10, 10)!.high).toBe(1);
		expect(wilsonInterval(0, 0)).toBeNull();
	});
});

describe('funnel limits (Spiegelhalter 2005, exact Poisson with interpolation)', () => {
	// SciPy: r = poisson.ppf(p, λ); r - (cdf(r) - p) / (cdf(r) - cdf(r - 1)).
	const scipy: [number, [number, number, number, number]][] = [
		[0.5, [-0.9983512787292999, -0.9587819682324967, 1.8600259114609996, 3.4758589809003664]],
		[3, [-0.9799144630768123, -0.49786157692030836, 6.393840164857888, 9.12650494464844]],
		[10, [1.2205293158961341, 3.775187947688401, 16.15995067334478, 20.66200083599499]],
		[25.3, [10.733176562303521, 15.397077984866188, 35.12042664992765, 41.73742119269968]],
		[100, [70.06528426484392, 80.36633712174711, 119.5808948521173, 131.8047503976241]],
		[480.2, [413.4127411037406, 437.22334327953996, 523.1206284265792, 548.830582561261]]
	];
	for (const [lambda, want] of scipy) {
		it(`expected count ${lambda}`, () => {
			[0.001, 0.025, 0.975, 0.999].forEach((p, i) => expect(poissonLimitCount(lambda, p)).toBeCloseTo(want[i], 8));
		});
	}
	it('agrees with a bisection over the Poisson CDF at small and large expected counts', () => {
		// The definition, computed the slow way: the smallest whole r with P(X ≤ r) ≥ p, by bisection.
		const reference = (lambda: number, p: number) => {
			let lo = -1;
			let hi = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 12);
			while (hi - lo > 1) {
				const mid = Math.floor((lo + hi) / 2);
				if (poissonCdf(mid, lambda) >= p) hi = mid;
				else lo = mid;
			}
			const f = poissonCdf(hi, lambda);
			return hi - (f - p) / (f - poissonCdf(hi - 1, lambda));
		};
		for (const lambda of [0.01, 0.2, 1, 2.7, 7.5, 33, 250, 1999.5, 40_000, 1_000_000])
			for (const p of [0.001, 0.025, 0.5, 0.975, 0.999]) {
				const want = reference(lambda, p);
				expect(Math.abs(poissonLimitCount(lambda, p) - want)).toBeLessThan(1e-6 * Math.max(1, Math.abs(want)));
			}
	});
	it('rate limits: counts over the exposure, at least zero, around the target', () => {
		// Target 4 per 100,000 a year, 2.5 million resident-years: 100 expected.
		const l = funnelLimits(4, 2_500_000, 100_000);
		expect(l.expected).toBeCloseTo(100, 10);
		expect(l.low95).toBeCloseTo((80.36633712174711 / 2_500_000) * 100_000, 9);
		expect(l.high998).toBeCloseTo((131.8047503976241 / 2_500_000) * 100_000, 9);
		expect(l.low998).toBeLessThan(l.low95);
		expect(l.high95).toBeLessThan(l.high998);
		const small = funnelLimits(4, 12_500, 100_000); // 0.5 expected
		expect(small.low95).toBe(0);
		expect(small.high95).toBeCloseTo((1.8600259114609996 / 12_500) * 100_000, 8);
	});
	it('Poisson CDF: P(X ≤ 2 | 3) = e^-3 (1 + 3 + 4.5), by hand', () => {
		expect(poissonCdf(2, 3)).toBeCloseTo(Math.exp(-3) * 8.5, 13);
		expect(poissonCdf(-1, 3)).toBe(0);
	});
});

describe('compareToReference', () => {
	it('above or below only when the interval excludes the reference', () => {
		expect(compareToReference({ low: 5, high: 7 }, 4.4)).toBe('above');
		expect(compareToReference({ low: 2, high: 4 }, 4.4)).toBe('below');
		expect(compareToReference({ low: 4, high: 9 }, 4.4)).toBe('within');
		expect(compareToReference(null, 4.4)).toBe('within');
	});
});
