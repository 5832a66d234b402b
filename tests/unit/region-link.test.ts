import { describe, expect, it } from 'vitest';
import { regionPageSearch, REGION_PAGE_LISTS } from '../../src/lib/state/region-link';
import { defaultState, parseState } from '../../src/lib/state/view-state';

const state = (q: string) => parseState(new URLSearchParams(q)).state;

describe('regionPageSearch: a link to a region page keeps what that page understands', () => {
	it('is empty for the default view', () => {
		expect(regionPageSearch(defaultState())).toBe('');
	});

	it('keeps the years, the facility type and authority filters and the status chart mode', () => {
		const q = regionPageSearch(state('from=2016&to=2020&ftype=sizo,ivs&auth=mia_penal&addrmode=count&v=1'));
		const p = new URLSearchParams(q.slice(1));
		expect(q.startsWith('?')).toBe(true);
		expect(Object.fromEntries(p)).toEqual({ from: '2016', to: '2020', ftype: 'ivs,sizo', auth: 'mia_penal', addrmode: 'count', v: '1' });
	});

	it('leaves behind the region filter, the map, the measure, the highlight and other pages\' filters', () => {
		const q = regionPageSearch(
			state('region=KZ-75,KZ-11&map=conditions&measure=per_residents&period=quarter&hl=KZ-11&regmode=count&atype=torture&theme=sanitation&km=priority&from=2018&v=1')
		);
		expect(q).toBe('?from=2018&v=1');
	});

	it('the parameters left behind were read (not dropped as invalid before the link was made)', () => {
		const s = state('region=KZ-75&map=conditions&hl=KZ-11&regmode=count&atype=torture&theme=sanitation');
		expect([s.region, s.map, s.hl, s.regmode, s.atype, s.theme]).toEqual([['KZ-75'], 'conditions', 'KZ-11', 'count', ['torture'], ['sanitation']]);
	});

	it('the region page offers exactly these list filters', () => {
		expect([...REGION_PAGE_LISTS]).toEqual(['ftype', 'auth']);
	});
});
