import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, defaultState, encodeState, isDefault, parseState, queryKey } from '../../src/lib/state/view-state';

const parse = (q: string) => parseState(new URLSearchParams(q));

describe('parseState', () => {
	it('an empty URL is the default state with no notices', () => {
		expect(parse('')).toEqual({ state: defaultState(), notices: [] });
	});

	it.each([
		['from=2016&to=2020&v=1', { from: 2016, to: 2020 }],
		['region=KZ-75,KZ-71&v=1', { region: ['KZ-71', 'KZ-75'] }],
		['ftype=sizo&auth=mia_penal', { ftype: ['sizo'], auth: ['mia_penal'] }],
		['measure=per_detainees&period=quarter', { measure: 'per_detainees', period: 'quarter' }],
		['km=priority', { km: 'priority' }]
	])('%s', (q, expected) => {
		const { state, notices } = parse(q);
		expect(notices).toEqual([]);
		for (const [k, v] of Object.entries(expected)) {
			const got = state[k as keyof typeof state];
			expect(Array.isArray(got) ? [...(got as string[])].sort() : got).toEqual(Array.isArray(v) ? [...v].sort() : v);
		}
	});

	it.each([
		["region=KZ-75' OR 1=1 --", 'region', 'unknown_value'],
		['region=;DROP TABLE allegations', 'region', 'unknown_value'],
		['ftype=%27%22%3B', 'ftype', 'unknown_value'],
		['from=20x6', 'from', 'invalid'],
		['from=1900', 'from', 'invalid'],
		['measure=everything', 'measure', 'invalid'],
		['v=99', 'v', 'version'],
		['evil=1', 'evil', 'unknown_param'],
		['region=' + 'KZ-75,'.repeat(200), 'region', 'too_long']
	])('rejects %s with a notice', (q, param, reason) => {
		const { state, notices } = parse(q);
		expect(isDefault(state)).toBe(true);
		expect(notices.map((n) => [n.param, n.reason])).toContainEqual([param, reason]);
		for (const n of notices) expect(n.value.length).toBeLessThanOrEqual(41);
	});

	it('keeps the valid part of a mixed list', () => {
		const { state, notices } = parse('region=KZ-75,XX-00,KZ-71');
		expect(state.region.sort()).toEqual(['KZ-71', 'KZ-75']);
		expect(notices).toEqual([{ param: 'region', value: 'XX-00', reason: 'unknown_value' }]);
	});

	it('drops an inverted year range', () => {
		const { state, notices } = parse('from=2020&to=2016');
		expect([state.from, state.to]).toEqual([null, null]);
		expect(notices[0].reason).toBe('invalid');
	});
});

/** Names every plain object inherits: a lookup with `in` or `[]` finds Object.prototype's members. */
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

describe('parseState: parameter names that are Object.prototype members', () => {
	it.each(PROTO_NAMES)('%s alone is an unknown parameter, with a notice', (name) => {
		const { state, notices } = parse(`${name}=x`);
		expect(isDefault(state)).toBe(true);
		expect(notices).toEqual([{ param: name, value: 'x', reason: 'unknown_param' }]);
	});

	it.each(PROTO_NAMES)('%s beside valid filters leaves them applied', (name) => {
		const { state, notices } = parse(`${name}=x&from=2016&region=KZ-75&measure=per_residents&v=1`);
		expect([state.from, state.region, state.measure]).toEqual([2016, ['KZ-75'], 'per_residents']);
		expect(notices).toEqual([{ param: name, value: 'x', reason: 'unknown_param' }]);
	});

	it.each(PROTO_NAMES)('%s as a value is refused', (name) => {
		const { state, notices } = parse(`region=${name}&ftype=${name}&measure=${name}&km=${name}`);
		expect(isDefault(state)).toBe(true);
		expect(notices.map((n) => [n.param, n.reason])).toEqual([
			['region', 'unknown_value'],
			['ftype', 'unknown_value'],
			['measure', 'invalid'],
			['km', 'invalid']
		]);
	});
});

describe('encodeState', () => {
	it('omits defaults entirely', () => {
		expect(encodeState(defaultState()).toString()).toBe('');
	});

	it('round-trips through the URL', () => {
		const s = { ...defaultState(), from: 2015, region: ['KZ-75', 'KZ-11'], measure: 'per_residents' as const };
		const back = parse(encodeState(s).toString());
		expect(back.notices).toEqual([]);
		expect(back.state).toEqual({ ...s, region: ['KZ-11', 'KZ-75'] });
		expect(encodeState(s).get('v')).toBe('1');
	});

	it('does not mutate the frozen default', () => {
		const s = defaultState();
		s.region.push('KZ-75');
		expect(DEFAULT_STATE.region).toEqual([]);
	});
});

describe('display parameters: the highlighted region and shares/counts', () => {
	it('reads hl (a region code or none) and the two status charts\' modes', () => {
		const { state, notices } = parse('hl=KZ-75&regmode=count&addrmode=count&v=1');
		expect(notices).toEqual([]);
		expect([state.hl, state.regmode, state.addrmode]).toEqual(['KZ-75', 'count', 'count']);
		expect(parse('hl=none').state.hl).toBe('none');
	});

	it('leaves them out of the URL at their defaults', () => {
		const s = defaultState();
		expect([s.hl, s.regmode, s.addrmode]).toEqual([null, 'share', 'share']);
		expect(encodeState({ ...s, regmode: 'share', addrmode: 'share', hl: null }).toString()).toBe('');
		expect(encodeState({ ...s, addrmode: 'count' }).toString()).toBe('addrmode=count&v=1');
		expect(encodeState({ ...s, hl: 'none' }).toString()).toBe('hl=none&v=1');
	});

	it.each([
		['hl=XX-00', 'hl', 'unknown_value'],
		["hl=KZ-75'--", 'hl', 'unknown_value'],
		['hl=constructor', 'hl', 'unknown_value'],
		['regmode=percent', 'regmode', 'invalid'],
		['addrmode=', 'addrmode', 'invalid']
	])('refuses %s with a notice', (q, param, reason) => {
		const { state, notices } = parse(q);
		expect(isDefault(state)).toBe(true);
		expect(notices.map((n) => [n.param, n.reason])).toEqual([[param, reason]]);
	});

	it('round-trips through the URL', () => {
		const s = { ...defaultState(), from: 2016, hl: 'KZ-11', regmode: 'count' as const };
		expect(parse(encodeState(s).toString())).toEqual({ state: s, notices: [] });
	});

	it('queryKey ignores them, and only them', () => {
		const base = { ...defaultState(), from: 2016, region: ['KZ-75'] };
		const shown = { ...base, hl: 'KZ-11', regmode: 'count' as const, addrmode: 'count' as const };
		expect(queryKey(shown)).toBe(queryKey(base));
		expect(queryKey(shown)).toBe('from=2016&region=KZ-75&v=1');
		expect(queryKey({ ...defaultState(), hl: 'none' })).toBe('');
		expect(queryKey({ ...base, map: 'conditions' })).not.toBe(queryKey(base));
		expect(queryKey({ ...base, km: 'priority' })).not.toBe(queryKey(base));
	});
});

describe('defaultState', () => {
	it('gives a fresh copy each time: changing one leaves the next and DEFAULT_STATE as they were', () => {
		const a = defaultState();
		expect(a).toEqual(DEFAULT_STATE);
		a.region.push('KZ-75');
		a.auth.push('knb');
		a.from = 2020;
		const b = defaultState();
		expect(b.region).toEqual([]);
		expect(b.auth).toEqual([]);
		expect(b.from).toBeNull();
		expect(DEFAULT_STATE.region).toEqual([]);
		expect(Object.keys(b).sort()).toEqual(Object.keys(DEFAULT_STATE).sort());
	});
});
