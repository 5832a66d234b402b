/** A released column's type (Table Schema: string, integer, number, date, boolean) in the reader's language. */
import { m } from '$lib/paraglide/messages';

const TYPE_NAMES: Record<string, (inputs?: Record<string, never>, options?: { locale?: 'en' | 'ru' | 'kk' }) => string> = {
	string: m.portal_type_string,
	integer: m.portal_type_integer,
	number: m.portal_type_number,
	date: m.portal_type_date,
	boolean: m.portal_type_boolean
};

export const TABLE_SCHEMA_TYPES = Object.keys(TYPE_NAMES);

/** The type's name in `locale` (the page's language when not given); an unknown type as it is. */
export function typeLabel(type: string, locale?: 'en' | 'ru' | 'kk'): string {
	return Object.hasOwn(TYPE_NAMES, type) ? TYPE_NAMES[type]({}, locale ? { locale } : {}) : type;
}
