import type { Row } from './types';

/** An Arrow row: [column name, value] pairs in column order (and toJSON, a plain object). */
export interface ArrowRow extends Iterable<[string, unknown]> {
	toJSON(): Record<string, unknown>;
}

/** Minimal view of an Arrow table, so this file does not import apache-arrow. */
interface ArrowLike {
	schema: { fields: { name: string; type: { typeId: number; unit?: number } }[] };
	toArray(): ArrowRow[];
}

// Arrow type ids (apache-arrow Type enum): Date = 8, Timestamp = 10.
const ARROW_DATE = 8;
const ARROW_TIMESTAMP = 10;

function isoDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Arrow rows -> plain objects. BIGINT arrives as bigint and DATE as epoch milliseconds;
 * views and tests want numbers and 'yyyy-mm-dd' strings, so convert here, once.
 */
export function arrowToRows<T extends object = Row>(table: ArrowLike): T[] {
	const dateFields = new Set(
		table.schema.fields
			.filter((f) => f.type.typeId === ARROW_DATE || f.type.typeId === ARROW_TIMESTAMP)
			.map((f) => f.name)
	);
	return table.toArray().map((r) => {
		const out: Record<string, unknown> = {};
		// Column names can be anything a console query says ("__proto__", "constructor"): each
		// becomes an own property, never a write through Object.prototype (toJSON would lose "__proto__").
		for (const [key, v] of r) {
			let value: unknown = v ?? null;
			if (typeof v === 'bigint') value = Number(v);
			else if (dateFields.has(key) && v != null) value = isoDay(v instanceof Date ? v.getTime() : Number(v));
			Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
		}
		return out as T;
	});
}
