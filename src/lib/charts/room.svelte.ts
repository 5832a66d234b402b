/**
 * The chart context (Layer Cake's model, with runes): the room a chart has to draw in.
 *
 * A `Room` holds a measured width, `undefined` until the browser has measured it. ChartRoom.svelte
 * measures its own element into one and provides it to the components inside: ChartFrame wraps its
 * body in one, and small multiples wrap each panel in their own, so each panel's chart gets its
 * panel's width (nesting, as Layer Cake's). A chart calls `useChartRoom(defaultWidth)` once and
 * reads everything from the `ChartSpace` it gets back:
 *
 * - `width`: the measured width, or the chart's default until measured. The build's HTML
 *   (prerendered, nothing measured) is drawn at the default, and so is the first client render,
 *   so hydration finds the same markup; the measured width takes over after mount.
 * - `plot(height, margin)`: the plot box (edges, inner size, x and y ranges) instead of each
 *   chart's own `width - margin.right` arithmetic.
 * - `yAxisMargin(ticks, format)`: a left margin that holds the longest y tick label.
 * - the label fitting of text-fit.svelte.ts (`fit`, `wrap`, `pick`, `abbreviate`, `textWidth`,
 *   `tickAnchor`): one place for every chart.
 *
 * A chart outside any room (a chart in a test, a print of a single chart) gets a local room that
 * is never measured: it draws at its default width.
 */
import { getContext, setContext } from 'svelte';
import { abbreviate, fitText, pickLabel, textWidth, tickAnchor, wrapText } from './text-fit.svelte';

export interface Margin {
	top: number;
	right: number;
	bottom: number;
	left: number;
}

/** A plot box inside a chart of `width` x `height` px, in SVG coordinates (y grows downwards). */
export interface PlotBox {
	/** The chart's width and height. */
	width: number;
	height: number;
	/** The plot's edges: `left` = margin.left, `right` = width - margin.right, `top`, `bottom` likewise. */
	left: number;
	right: number;
	top: number;
	bottom: number;
	/** The plot's size (never negative). */
	innerWidth: number;
	innerHeight: number;
	/** The range of an x scale: [left, right], at least `minWidth` px wide. */
	x: [number, number];
	/** The range of a y scale: [bottom, top] (values grow upwards). */
	y: [number, number];
}

/**
 * The plot box of a chart `width` x `height` px with `margin` around the plot. The x range is at
 * least `minWidth` px wide (a chart squeezed below its margins still has a scale that works).
 */
export function plotBox(width: number, height: number, margin: Margin, minWidth = 0): PlotBox {
	const left = margin.left;
	const right = width - margin.right;
	const top = margin.top;
	const bottom = height - margin.bottom;
	return {
		width,
		height,
		left,
		right,
		top,
		bottom,
		innerWidth: Math.max(0, right - left),
		innerHeight: Math.max(0, bottom - top),
		x: [left, Math.max(left + minWidth, right)],
		y: [bottom, top]
	};
}

/**
 * A left margin that holds the longest y tick label (`size` px text, `pad` px to the plot), within
 * [min, max]: a narrow chart loses no plot to a margin wider than its labels.
 */
export function yAxisMargin<T>(ticks: T[], format: (t: T) => string, { size = 11, pad = 10, min = 24, max = 52 } = {}): number {
	return Math.min(max, Math.max(min, ...ticks.map((t) => textWidth(format(t), size) + pad)));
}

/** The room a frame or a panel has: its width once measured (ChartRoom.svelte measures it). */
export class Room {
	/** The measured width in px; undefined until measured in the browser. */
	width = $state<number | undefined>(undefined);

	/** The room as a chart with this default width sees it. */
	for(defaultWidth: number): ChartSpace {
		return new ChartSpace(this, defaultWidth);
	}
}

/** One chart's view of its room: its width (measured, else its default) and the helpers every chart uses. */
export class ChartSpace {
	readonly room: Room;
	readonly defaultWidth: number;

	constructor(room: Room, defaultWidth: number) {
		this.room = room;
		this.defaultWidth = defaultWidth;
	}

	/** The measured width, undefined until measured. */
	get measured(): number | undefined {
		return this.room.width;
	}

	/** The width to draw at: measured, or the chart's default (at build time and while hydrating). */
	get width(): number {
		return this.room.width ?? this.defaultWidth;
	}

	/** The plot box at the current width (see `plotBox`). */
	plot(height: number, margin: Margin, minWidth = 0): PlotBox {
		return plotBox(this.width, height, margin, minWidth);
	}

	/** A left margin that holds the longest y tick label (see `yAxisMargin`). */
	yAxisMargin<T>(ticks: T[], format: (t: T) => string, options?: { size?: number; pad?: number; min?: number; max?: number }): number {
		return yAxisMargin(ticks, format, options);
	}

	// Label fitting (text-fit.svelte.ts), bound to the room so a chart needs only its room.
	readonly textWidth = textWidth;
	readonly fit = fitText;
	readonly wrap = wrapText;
	readonly pick = pickLabel;
	readonly abbreviate = abbreviate;
	readonly tickAnchor = tickAnchor;
	/** The text-anchor of a tick label at `x` that keeps it inside the chart (0..width), for a label of `text` at `size` px. */
	anchor(x: number, text: string, size = 11): 'start' | 'middle' | 'end' {
		return tickAnchor(x, 0, this.width, textWidth(text, size) / 2);
	}
}

const KEY = Symbol('chart-room');

/** Provide a new room to the components inside (ChartRoom.svelte does, around what it measures). */
export function provideChartRoom(room: Room = new Room()): Room {
	setContext(KEY, room);
	return room;
}

/** The room the chart is in (its frame's or its panel's), or a local one outside any: the chart's view of it. */
export function useChartRoom(defaultWidth: number): ChartSpace {
	return (getContext<Room | undefined>(KEY) ?? new Room()).for(defaultWidth);
}
