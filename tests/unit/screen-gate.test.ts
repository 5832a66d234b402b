import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A stand-in for the browser's IntersectionObserver: tests say which element is near. */
class FakeObserver {
	static last: FakeObserver | undefined;
	static created = 0;
	observed = new Set<object>();
	constructor(
		public callback: (entries: { target: object; isIntersecting: boolean }[]) => void,
		public options: { rootMargin?: string }
	) {
		FakeObserver.last = this;
		FakeObserver.created++;
	}
	observe(el: object) {
		this.observed.add(el);
	}
	unobserve(el: object) {
		this.observed.delete(el);
	}
	/** The browser reporting on elements. */
	fire(...entries: [object, boolean][]) {
		this.callback(entries.map(([target, isIntersecting]) => ({ target, isIntersecting })));
	}
}

let gateModule: typeof import('../../src/lib/state/screen-gate');

beforeEach(async () => {
	vi.resetModules();
	FakeObserver.last = undefined;
	FakeObserver.created = 0;
	vi.stubGlobal('IntersectionObserver', FakeObserver);
	gateModule = await import('../../src/lib/state/screen-gate');
});
afterEach(() => vi.unstubAllGlobals());

const el = (name: string) => ({ name }) as unknown as Element;

describe('ScreenGate', () => {
	it('is near without elements, and while its elements have not been reported', () => {
		const gate = new gateModule.ScreenGate();
		expect(gate.near()).toBe(true);
		gate.watch(el('a'));
		expect(gate.near()).toBe(true);
	});

	it('follows the observer: near when any of its elements is near', () => {
		const gate = new gateModule.ScreenGate();
		const a = el('a');
		const b = el('b');
		gate.watch(a);
		gate.watch(b);
		const io = FakeObserver.last!;
		io.fire([a, false], [b, false]);
		expect(gate.near()).toBe(false);
		io.fire([b, true]);
		expect(gate.near()).toBe(true);
		io.fire([b, false]);
		expect(gate.near()).toBe(false);
	});

	it('calls a waiting function once, when it becomes near; at once when it is near', () => {
		const gate = new gateModule.ScreenGate();
		const a = el('a');
		gate.watch(a);
		const io = FakeObserver.last!;
		io.fire([a, false]);
		const fn = vi.fn();
		gate.whenNear(fn);
		expect(fn).not.toHaveBeenCalled();
		io.fire([a, false]);
		expect(fn).not.toHaveBeenCalled();
		io.fire([a, true]);
		expect(fn).toHaveBeenCalledTimes(1);
		io.fire([a, false]);
		io.fire([a, true]);
		expect(fn).toHaveBeenCalledTimes(1);
		const now = vi.fn();
		gate.whenNear(now);
		expect(now).toHaveBeenCalledTimes(1);
	});

	it('a cancelled wait is not called', () => {
		const gate = new gateModule.ScreenGate();
		const a = el('a');
		gate.watch(a);
		FakeObserver.last!.fire([a, false]);
		const fn = vi.fn();
		const keep = vi.fn();
		const cancel = gate.whenNear(fn);
		gate.whenNear(keep);
		cancel();
		FakeObserver.last!.fire([a, true]);
		expect(fn).not.toHaveBeenCalled();
		expect(keep).toHaveBeenCalledTimes(1);
	});

	it('one observer serves every gate of the page, and reports reach the gate of their element only', () => {
		const g1 = new gateModule.ScreenGate();
		const g2 = new gateModule.ScreenGate();
		const a = el('a');
		const b = el('b');
		g1.watch(a);
		g2.watch(b);
		expect(FakeObserver.created).toBe(1);
		const io = FakeObserver.last!;
		expect(io.options.rootMargin).toBe('25% 0px');
		io.fire([a, false], [b, true]);
		expect(g1.near()).toBe(false);
		expect(g2.near()).toBe(true);
	});

	it('unwatching stops observing; a gate left without elements is near and calls its waiting functions', () => {
		const gate = new gateModule.ScreenGate();
		const a = el('a');
		const unwatch = gate.watch(a);
		const io = FakeObserver.last!;
		io.fire([a, false]);
		const fn = vi.fn();
		gate.whenNear(fn);
		unwatch();
		expect(io.observed.has(a)).toBe(false);
		expect(gate.near()).toBe(true);
		expect(fn).toHaveBeenCalledTimes(1);
		// A late report on the removed element changes nothing.
		io.fire([a, false]);
		expect(gate.near()).toBe(true);
	});

	it('without IntersectionObserver (the server, old browsers) a gate is always near', () => {
		vi.unstubAllGlobals();
		const gate = new gateModule.ScreenGate();
		const unwatch = gate.watch(el('a'));
		expect(gate.near()).toBe(true);
		unwatch();
	});
});
