import { eventLabel, keyEvents } from '$lib/state/reference';
import { dayMonthYearLabel, monthYearLabel } from '$lib/i18n/format';

/**
 * Dates of key events and region creation, at their precision. Kazakh month names are missing from
 * the ICU data of Chromium and Node (they print "2014 M04"), so Kazakh uses the numeric
 * dd.mm.yyyy / mm.yyyy form that is usual there; English and Russian use Intl.
 */
export function formatEventDate(locale: string, iso: string, precision: 'day' | 'month' | 'year'): string {
	const [y, mo, d] = iso.split('-');
	if (precision === 'year') return y;
	return precision === 'day' ? dayMonthYearLabel(locale, Number(y), Number(mo), Number(d)) : monthYearLabel(locale, Number(y), Number(mo));
}

/** Key dates as annotations on a numeric time axis (year + fraction of the year), with their date text. */
export function eventAnnotations(locale: string): { x: number; label: string; date: string }[] {
	return keyEvents.map((e) => {
		const [y, mo] = e.date.split('-').map(Number);
		return { x: y + (mo - 1) / 12, label: eventLabel(e, locale), date: formatEventDate(locale, e.date, e.precision) };
	});
}
