/**
 * Lookups keyed by text from outside (a URL parameter, a route parameter, a key name): own keys
 * only. With `name in OBJECT` or `OBJECT[name]`, names such as "constructor", "__proto__" or
 * "toString" find Object.prototype's members instead of nothing.
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
	return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** True if `key` is one of the object's own keys (never an inherited one). */
export function hasOwn(record: object, key: string): boolean {
	return Object.hasOwn(record, key);
}
