import { describe, expect, test } from 'vitest';
import { lastNonEmpty } from '$lib/views/chart-view';

describe('lastNonEmpty', () => {
	test('an empty answer gives the last non-empty one; a non-empty answer is drawn as it is', () => {
		const keep = lastNonEmpty<number[]>();
		const a = [1, 2];
		const b = [3];
		const none: number[] = [];
		expect(keep(a, false)).toBe(a);
		expect(keep(none, true)).toBe(a);
		expect(keep(undefined, true)).toBe(a);
		expect(keep(b, false)).toBe(b);
		expect(keep(none, true)).toBe(b);
	});
	test('with nothing drawn yet, an empty answer is drawn (there is nothing to keep)', () => {
		const keep = lastNonEmpty<number[]>();
		const none: number[] = [];
		expect(keep(none, true)).toBe(none);
		expect(keep(undefined, true)).toBeUndefined();
	});
	test('each chart keeps its own', () => {
		const k1 = lastNonEmpty<string>();
		const k2 = lastNonEmpty<string>();
		k1('x', false);
		expect(k2('', true)).toBe('');
		expect(k1('', true)).toBe('x');
	});
});
