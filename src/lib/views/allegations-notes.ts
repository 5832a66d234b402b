/** The notes every Allegations chart shares, in the page's language (see filterNotes). */
import { m } from '$lib/paraglide/messages';
import { regionLabel } from '$lib/state/reference';
import type { AllegationsView } from '$lib/queries/allegations';
import { filterNotes } from './allegations';
import { formatEventDate } from './event-dates';

export function sharedNotes(view: AllegationsView, locale: string): string[] {
	return filterNotes(view, locale, (c) => regionLabel(c, locale), (iso) => formatEventDate(locale, iso, 'day'), {
		regionWithheld: m.alleg_note_region_withheld,
		ftypeWithheld: m.alleg_note_ftype_withheld,
		newRegion: m.alleg_note_new_region
	});
}
