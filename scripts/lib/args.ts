/** Tiny command-line parser: `--name value` and `--flag`; unknown options are an error. */
export function parseArgs(
	argv: string[],
	spec: Record<string, 'string' | 'number' | 'boolean'>
): Record<string, string | number | boolean | undefined> {
	const out: Record<string, string | number | boolean | undefined> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--') continue;
		if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
		const [name, inline] = arg.slice(2).split('=', 2);
		const kind = spec[name];
		if (!kind) throw new Error(`unknown option --${name} (known: ${Object.keys(spec).map((k) => '--' + k).join(', ')})`);
		if (kind === 'boolean') {
			out[name] = true;
			continue;
		}
		const raw = inline ?? argv[++i];
		if (raw === undefined) throw new Error(`option --${name} needs a value`);
		if (kind === 'number') {
			const n = Number(raw);
			if (!Number.isFinite(n)) throw new Error(`option --${name}: "${raw}" is not a number`);
			out[name] = n;
		} else out[name] = raw;
	}
	return out;
}
