/** The notes every Allegations chart shares, in the page's language (see filterNotes). */
import { m } from '$lib/paraglide/messages';
import { regionLabel } from '$lib/state/reference';
import type { AllegationsView } from '$lib/queries/allegations';
import { filterNotes } from './allegations';

function formatDay(locale: string, iso: string): string {
	return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso + 'T00:00:00Z'));
}

export function sharedNotes(view: AllegationsView, locale: string): string[] {
	return filterNotes(view, locale, (c) => regionLabel(c, locale), (iso) => formatDay(locale, iso), {
		regionWithheld: m.alleg_note_region_withheld,
		ftypeWithheld: m.alleg_note_ftype_withheld,
		newRegion: m.alleg_note_new_region
	});
}
