/**
 * Whether a view's charts are on the screen (or close to it), so that a filter change draws what
 * the reader can see first and the rest just after.
 *
 * A page wraps a chart (or a group of charts) in <OnScreen value={…}> (OnScreen.svelte), which makes
 * a gate and hands it to every chart frame inside through a context; each frame registers its
 * element. When a new value arrives while none of the frames is near the viewport, OnScreen holds
 * it (the charts keep their drawing and say they are updating: aria-busy) and draws it when the
 * page is next idle, or at once when a frame comes near the viewport, whichever is first. A gate
 * without frames, or whose frames have not been reported yet, counts as near.
 *
 * One IntersectionObserver serves the page; "near" is within a quarter of the viewport's height
 * above or below the screen: a reader scrolling towards a chart finds it drawn (it draws in the
 * observer's callback, and in idle time anyway), while a chart a whole block further down, such as
 * the twelve small multiples under the allegations page's first chart, waits.
 */
import { getContext, setContext } from 'svelte';

const NEAR = '25% 0px';

let observer: IntersectionObserver | undefined;
const gateOf = new WeakMap<Element, ScreenGate>();

function sharedObserver(): IntersectionObserver {
	return (observer ??= new IntersectionObserver(
		(entries) => {
			for (const e of entries) gateOf.get(e.target)?.report(e.target, e.isIntersecting);
		},
		{ rootMargin: NEAR }
	));
}

export class ScreenGate {
	/** Element → near (undefined until the observer's first report on it). */
	#elements = new Map<Element, boolean | undefined>();
	#waiting: (() => void)[] = [];

	/** True when any registered element is near the viewport, or none is registered or reported yet. */
	near(): boolean {
		for (const v of this.#elements.values()) if (v !== false) return true;
		return this.#elements.size === 0;
	}

	/** Calls `fn` once, the next time the gate becomes near (at once if it is); returns a cancel function. */
	whenNear(fn: () => void): () => void {
		if (this.near()) {
			fn();
			return () => {};
		}
		this.#waiting.push(fn);
		return () => {
			this.#waiting = this.#waiting.filter((f) => f !== fn);
		};
	}

	/** Registers an element (a chart frame); returns the function that unregisters it. */
	watch(element: Element): () => void {
		if (typeof IntersectionObserver === 'undefined') return () => {};
		this.#elements.set(element, undefined);
		gateOf.set(element, this);
		sharedObserver().observe(element);
		return () => {
			this.#elements.delete(element);
			gateOf.delete(element);
			observer?.unobserve(element);
			this.#flush();
		};
	}

	/** From the observer (exported for tests, which have no layout). */
	report(element: Element, near: boolean): void {
		if (!this.#elements.has(element)) return;
		this.#elements.set(element, near);
		this.#flush();
	}

	#flush() {
		if (!this.#waiting.length || !this.near()) return;
		const waiting = this.#waiting;
		this.#waiting = [];
		for (const fn of waiting) fn();
	}
}

/** Views holding an answer not drawn yet (the benchmark and tests wait for 0 to know every view is drawn). */
export function heldViews(): { pending: number } {
	const w = window as unknown as { __kzHeld?: { pending: number } };
	return (w.__kzHeld ??= { pending: 0 });
}

const KEY = Symbol('kz-screen-gate');

export function provideScreenGate(gate: ScreenGate): void {
	setContext(KEY, gate);
}

/** The gate of the view a chart frame belongs to, if its page wrapped the view in <OnScreen>. */
export function screenGate(): ScreenGate | undefined {
	return getContext<ScreenGate | undefined>(KEY);
}
