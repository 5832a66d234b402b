import { describe, expect, it } from 'vitest';
import { rehearsalStates } from '../../src/lib/state/rehearsal';
import { defaultState, encodeState, parseState, queryKey } from '../../src/lib/state/view-state';
import { codeList } from '../../src/lib/state/reference';

describe('rehearsalStates', () => {
	it.each([
		['the default state', defaultState()],
		['a filtered state', { ...defaultState(), from: 2016, to: 2020, ftype: ['sizo'], auth: ['mia_penal'] }]
	])('next to %s: valid states, each asking something new', (_, state) => {
		const states = rehearsalStates(state);
		expect(states).toHaveLength(4);
		const keys = states.map(queryKey);
		// Each asks the views for another answer than the one shown, and no two ask the same.
		expect(keys).not.toContain(queryKey(state));
		expect(new Set(keys).size).toBe(states.length);
		for (const s of states) {
			// A state the address could hold: it survives the URL unchanged and raises no notice.
			const back = parseState(encodeState(s));
			expect(back.notices).toEqual([]);
			expect(queryKey(back.state)).toBe(queryKey(s));
			if (s.from !== null && s.to !== null) expect(s.from).toBeLessThanOrEqual(s.to);
		}
	});

	it('sets a list filter with a real code when none is set, and clears it when one is', () => {
		const [, ftype, auth] = rehearsalStates(defaultState());
		expect(ftype.ftype).toEqual([codeList('facility_type')[0]]);
		expect(auth.auth).toEqual([codeList('authority')[0]]);
		const [, clearedType, clearedAuth] = rehearsalStates({ ...defaultState(), ftype: ['sizo'], auth: ['mia_penal'] });
		expect(clearedType.ftype).toEqual([]);
		expect(clearedAuth.auth).toEqual([]);
	});
});
