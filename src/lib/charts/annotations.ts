/**
 * Key-date annotations on a numeric time axis, laid out as numbered markers that never overlap:
 * pure functions, so the layout is tested without a browser (LineChart draws the result).
 */
export interface AxisAnnotation {
	x: number;
	label: string;
	date?: string;
}

/** Annotations within the axis (up to one x step past the last value), sorted and numbered 1..n. */
export function numberAnnotations<A extends AxisAnnotation>(annotations: A[], x: number[]): (A & { n: number })[] {
	if (!x.length) return [];
	const step = x.length > 1 ? x[x.length - 1] - x[x.length - 2] : 1;
	return annotations
		.filter((a) => a.x >= x[0] && a.x <= x[x.length - 1] + step)
		.sort((a, b) => a.x - b.x)
		.map((a, i) => ({ ...a, n: i + 1 }));
}

/**
 * Each marker (at pixel `px`, clamped to `maxPx`) goes to the first row where it is at least
 * `size` + 2 px from the last marker of that row; a new row opens when none has room.
 */
export function layoutMarkers<A extends { x: number }>(shown: A[], toPx: (x: number) => number, maxPx: number, size: number): (A & { px: number; row: number })[] {
	const lastInRow: number[] = [];
	return shown.map((a) => {
		const px = Math.min(toPx(a.x), maxPx);
		let row = lastInRow.findIndex((last) => px - last >= size + 2);
		if (row < 0) row = lastInRow.length;
		lastInRow[row] = px;
		return { ...a, px, row };
	});
}
