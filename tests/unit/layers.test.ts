/**
 * The chart layer (src/lib/charts) draws charts and nothing else: it imports nothing from the
 * portal, the embeds, the domain views or the pages. Export and embed actions come in through
 * src/lib/charts/actions.ts from the site's layout.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const DIR = 'src/lib/charts';
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
	it('the check itself catches such an import', () => {
		expect(FORBIDDEN.test(`import EmbedSnippet from '$lib/embed/EmbedSnippet.svelte';`)).toBe(true);
		expect(FORBIDDEN.test(`import { saveBlob } from '$lib/portal/files';`)).toBe(true);
		expect(FORBIDDEN.test(`import { chartActions } from './actions';`)).toBe(false);
	});
});
