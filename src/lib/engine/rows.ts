import type { Row } from './types';

/** Minimal view of an Arrow table, so this file does not import apache-arrow. */
interface ArrowLike {
	schema: { fields: { name: string; type: { typeId: number; unit?: number } }[] };
	toArray(): { toJSON(): Record<string, unknown> }[];
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
		const obj = r.toJSON();
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(obj)) {
			const v = obj[key];
			if (typeof v === 'bigint') out[key] = Number(v);
			else if (dateFields.has(key) && v != null) {
				out[key] = isoDay(v instanceof Date ? v.getTime() : Number(v));
			} else out[key] = v ?? null;
		}
		return out as T;
	});
}
