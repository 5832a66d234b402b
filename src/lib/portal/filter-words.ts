import { m } from '$lib/paraglide/messages';
import type { ListFilter } from '$lib/state/view-state';
import type { FilterWordsLabels } from './metadata';

/** The filter names, in the current language, for "the filter in words". */
export function filterWordsLabels(): FilterWordsLabels {
	const filter: Record<ListFilter, string> = {
		region: m.filter_region(),
		ftype: m.filter_ftype(),
		auth: m.filter_auth(),
		atype: m.filter_atype(),
		perp: m.filter_perp(),
		channel: m.filter_channel(),
		ind: m.filter_ind(),
		theme: m.filter_theme(),
		addr: m.filter_addr(),
		prio: m.filter_prio(),
		status: m.filter_status()
	};
	return { years: m.filter_years(), all: m.portal_filter_all(), filter };
}

export function formatBytes(locale: string, bytes: number): string {
	const nf = (n: number, d: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: d }).format(n);
	if (bytes < 1024) return m.portal_bytes({ n: nf(bytes, 0) });
	if (bytes < 1024 * 1024) return m.portal_kb({ n: nf(bytes / 1024, 1) });
	return m.portal_mb({ n: nf(bytes / 1024 / 1024, 1) });
}
