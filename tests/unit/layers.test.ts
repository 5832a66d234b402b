/**
 * The chart layer (src/lib/charts) draws charts and nothing else: it imports nothing from the
 * portal, the embeds, the domain views or the pages. Export and embed actions come in through
 * src/lib/charts/actions.ts from the site's layout. Charts take their width from their room
 * (src/lib/charts/room.svelte.ts): only ChartRoom.svelte measures an element's width.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const DIR = 'src/lib/charts';
const MEASURES = /bind:(clientWidth|offsetWidth|contentRect|contentBoxSize|borderBoxSize)\b/;
const FORBIDDEN = /from\s+['"](\$lib\/(portal|embed|views|queries|engine)\/|\.\.\/(portal|embed|views|queries|engine)\/|\.\.\/\.\.\/routes\/)/;

function imports(file: string): string[] {
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((l) => /^\s*import\b/.test(l) || /\bfrom\s+['"]/.test(l));
}

describe('layers', () => {
	const files = readdirSync(DIR).filter((f) => /\.(ts|svelte)$/.test(f));
	it('finds the chart files', () => {
		expect(files).toContain('ChartFrame.svelte');
		expect(files.length).toBeGreaterThan(10);
	});
	it('src/lib/charts imports nothing from the portal, embeds, views, queries, engine or pages (the release comes from $app/state and, when a link pins one, $lib/releases)', () => {
		const bad = files.flatMap((f) => imports(path.join(DIR, f)).filter((l) => FORBIDDEN.test(l)).map((l) => `${f}: ${l.trim()}`));
		expect(bad).toEqual([]);
	});
	it('no chart measures its own width: only ChartRoom.svelte binds clientWidth (or another size)', () => {
		const svelteFiles = files.filter((f) => f.endsWith('.svelte'));
		const measuring = svelteFiles.filter((f) => MEASURES.test(readFileSync(path.join(DIR, f), 'utf8')));
		expect(measuring).toEqual(['ChartRoom.svelte']);
	});
	it('every chart reads the room (useChartRoom) or, word-sized, its plot box', () => {
		const charts = files.filter((f) => f.endsWith('.svelte') && !['ChartFrame.svelte', 'ChartRoom.svelte'].includes(f));
		expect(charts.length).toBeGreaterThanOrEqual(12);
		const without = charts.filter((f) => !/\b(useChartRoom|plotBox)\b/.test(readFileSync(path.join(DIR, f), 'utf8')));
		expect(without).toEqual([]);
	});
	it('the check itself catches such an import', () => {
		expect(FORBIDDEN.test(`import EmbedSnippet from '$lib/embed/EmbedSnippet.svelte';`)).toBe(true);
		expect(FORBIDDEN.test(`import { saveBlob } from '$lib/portal/files';`)).toBe(true);
		expect(FORBIDDEN.test(`import { chartActions } from './actions';`)).toBe(false);
		expect(MEASURES.test(`<div class="plot" bind:clientWidth={width}>`)).toBe(true);
		expect(MEASURES.test(`<div bind:contentRect={rect}>`)).toBe(true);
		expect(MEASURES.test(`const w = plotWrap.clientWidth;`)).toBe(false);
	});
});
