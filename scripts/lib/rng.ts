/**
 * Small deterministic pseudo-random generator (sfc32 seeded through splitmix32). Math.random cannot
 * be seeded; the generator must give the same files for the same seed on every machine.
 */
export class Rng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;

	constructor(seed: number) {
		let s = seed >>> 0;
		const next = () => {
			s = (s + 0x9e3779b9) >>> 0;
			let z = s;
			z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
			z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
			return (z ^ (z >>> 16)) >>> 0;
		};
		this.a = next();
		this.b = next();
		this.c = next();
		this.d = next();
		for (let i = 0; i < 12; i++) this.next();
	}

	/** Uniform in [0, 1). */
	next(): number {
		const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
		this.d = (this.d + 1) >>> 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) >>> 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) >>> 0;
		return t / 4294967296;
	}

	/** Integer in [min, max], both included. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** Pick a key of a weight table. */
	weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
		const keys = Object.keys(weights) as K[];
		let total = 0;
		for (const k of keys) total += weights[k];
		let x = this.next() * total;
		for (const k of keys) {
			x -= weights[k];
			if (x < 0) return k;
		}
		return keys[keys.length - 1];
	}

	normal(mean = 0, sd = 1): number {
		const u = 1 - this.next();
		const v = this.next();
		return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	poisson(lambda: number): number {
		const limit = Math.exp(-lambda);
		let k = 0;
		let p = this.next();
		while (p > limit) {
			k++;
			p *= this.next();
		}
		return k;
	}
}

/** Sampler over a fixed list with fixed weights: cumulative sums + binary search, O(log n) a draw. */
export class WeightedSampler<T> {
	private readonly cumulative: Float64Array;
	private readonly total: number;

	constructor(
		private readonly items: readonly T[],
		weights: readonly number[]
	) {
		this.cumulative = new Float64Array(items.length);
		let sum = 0;
		weights.forEach((w, i) => {
			sum += Math.max(0, w);
			this.cumulative[i] = sum;
		});
		this.total = sum;
	}

	get size(): number {
		return this.items.length;
	}

	draw(rng: Rng): T {
		const x = rng.next() * this.total;
		let lo = 0;
		let hi = this.cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.cumulative[mid] > x) hi = mid;
			else lo = mid + 1;
		}
		return this.items[lo];
	}
}
