/**
 * A promise cache per key where a failure is forgotten, so the next call tries again (a retry
 * button): used for the engine's table registrations and the rollup files.
 */
export function once<K, V>(make: (key: K) => Promise<V>): (key: K) => Promise<V> {
	const cache = new Map<K, Promise<V>>();
	return (key) => {
		let p = cache.get(key);
		if (!p) {
			p = make(key);
			cache.set(key, p);
			p.catch(() => cache.delete(key));
		}
		return p;
	};
}
