/**
 * LiveQuery's "updating" flag (the charts' aria-busy): raised only when an answer has not come by
 * the next task, so an answer sliced from a rollup already in memory does not mark every chart busy
 * and then not busy before anything is painted; a slow answer is still announced.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LiveQuery } from '../../src/lib/engine/live-query.svelte';
import type { Engine } from '../../src/lib/engine/types';

const engine = {} as Engine;
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => {
	// The query counter and the "first answer" mark live on window in the browser.
	(globalThis as { window?: unknown }).window = globalThis;
});
afterAll(() => {
	delete (globalThis as { window?: unknown }).window;
});

describe('LiveQuery.updating', () => {
	test('an answer that comes in the same task never raises it', async () => {
		const q = new LiveQuery<number>(1, async () => engine);
		const seen: boolean[] = [];
		const done = q.run(async () => 2);
		seen.push(q.updating);
		await done;
		seen.push(q.updating);
		await nextTask();
		await nextTask();
		seen.push(q.updating);
		expect(seen).toEqual([false, false, false]);
		expect(q.data).toBe(2);
		expect(q.status).toBe('ready');
	});

	test('a slow answer raises it after a task and lowers it when the answer is shown', async () => {
		const q = new LiveQuery<number>(1, async () => engine);
		const done = q.run(async () => {
			await wait(40);
			return 3;
		});
		expect(q.updating).toBe(false);
		await wait(10);
		expect(q.updating).toBe(true);
		expect(q.data).toBe(1);
		await done;
		expect(q.updating).toBe(false);
		expect(q.data).toBe(3);
	});

	test('a newer answer that comes at once leaves it down, although an older request is still out', async () => {
		const q = new LiveQuery<number>(1, async () => engine);
		const older = q.run(async () => {
			await wait(40);
			return 4;
		});
		const newer = q.run(async () => 5);
		await newer;
		await wait(10);
		expect(q.updating).toBe(false);
		await older;
		expect(q.updating).toBe(false);
		// Latest wins: the older answer is dropped.
		expect(q.data).toBe(5);
	});

	test('the first answer (nothing shown yet) is "loading", not "updating"', async () => {
		const q = new LiveQuery<number>(undefined, async () => engine);
		const done = q.run(async () => {
			await wait(20);
			return 6;
		});
		expect(q.status).toBe('loading');
		await wait(5);
		expect(q.updating).toBe(false);
		await done;
		expect(q.status).toBe('ready');
		expect(q.data).toBe(6);
	});

	test('a failed slow answer lowers it and says why', async () => {
		const q = new LiveQuery<number>(1, async () => engine);
		const done = q.run(async () => {
			await wait(20);
			throw new Error('rollups/recommendations.arrow: 404');
		});
		await wait(5);
		expect(q.updating).toBe(true);
		await done;
		expect(q.updating).toBe(false);
		expect(q.status).toBe('error');
		expect(q.error).toBe('rollups/recommendations.arrow: 404');
	});
});
