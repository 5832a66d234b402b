import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cacheIntlConstructors } from '../../scripts/lib/intl-cache.mjs';

// The registry Paraglide generated for this project (npm run check compiles it before the tests).
const registry = readFileSync('src/lib/paraglide/registry.js', 'utf8');

/** The rewritten registry as a module, with `new Intl.*` calls counted. */
async function load(code: string) {
	let constructed = 0;
	const RealIntl = Intl;
	const counting = new Proxy(RealIntl, {
		get(target, prop) {
			const value = Reflect.get(target, prop);
			if (typeof value !== 'function' || !['PluralRules', 'NumberFormat', 'DateTimeFormat', 'RelativeTimeFormat'].includes(String(prop))) return value;
			return new Proxy(value, { construct: (C, args) => (constructed++, Reflect.construct(C, args)) });
		}
	});
	const body = code.replace(/export function /g, 'function ').replace(/export \{[^}]*\};?/g, '');
	const names = [...code.matchAll(/export function (\w+)/g)].map((m) => m[1]);
	const mod = new Function('Intl', `${body}\nreturn { ${names.join(', ')} };`)(counting) as Record<string, (...a: unknown[]) => string>;
	return { mod, constructed: () => constructed };
}

describe('cacheIntlConstructors (the Paraglide registry rewrite)', () => {
	it('rewrites every Intl construction of the generated registry', () => {
		const out = cacheIntlConstructors(registry);
		expect(out).not.toMatch(/new Intl\.(PluralRules|NumberFormat|DateTimeFormat|RelativeTimeFormat)\(/);
		expect((out.match(/__kzIntlCached\('/g) ?? []).length).toBe((registry.match(/new Intl\./g) ?? []).length);
	});

	it('gives the same answers as the original, building each Intl object once', async () => {
		const original = await load(registry);
		const cached = await load(cacheIntlConstructors(registry));
		for (const locale of ['en', 'ru', 'kk']) {
			for (const n of [0, 1, 2, 5, 21, 1.5, 1000]) {
				expect(cached.mod.plural(locale, n), `${locale} ${n}`).toBe(original.mod.plural(locale, n));
				expect(cached.mod.plural(locale, n, { type: 'ordinal' })).toBe(original.mod.plural(locale, n, { type: 'ordinal' }));
				expect(cached.mod.number(locale, n, { maximumFractionDigits: 1 })).toBe(original.mod.number(locale, n, { maximumFractionDigits: 1 }));
			}
		}
		// 3 locales x 7 numbers x 3 calls: the original built 63 objects, the rewrite one per locale and options.
		expect(original.constructed()).toBe(63);
		expect(cached.constructed()).toBe(9);
	});

	it('refuses a registry it does not recognise instead of silently doing nothing', () => {
		expect(() => cacheIntlConstructors('export function plural(l, n) { return "other" }')).toThrow(/no `new Intl\.\*\(locale, options\)` found/);
	});
});
