/**
 * Paraglide's message registry builds a new Intl.PluralRules (and NumberFormat, ...) for every
 * plural or number in every message it renders: on a filter change, the summaries and tooltips of a
 * page ask for hundreds, and constructing them cost 1-1.5 ms of the change (CPU profile of
 * /recommendations/). This Vite transform rewrites the generated registry so each locale and
 * options pair builds its Intl object once. The generated file is not ours to edit: it is
 * rewritten at every compile, so the rewrite happens as it is bundled.
 */

const CONSTRUCTORS = ['PluralRules', 'NumberFormat', 'DateTimeFormat', 'RelativeTimeFormat'];

const PRELUDE = `const __kzIntl = new Map();
function __kzIntlCached(kind, locale, options) {
	const key = kind + '\\u0000' + locale + '\\u0000' + JSON.stringify(options ?? null);
	let made = __kzIntl.get(key);
	if (made === undefined) {
		made = new Intl[kind](locale, options);
		if (__kzIntl.size > 500) __kzIntl.clear();
		__kzIntl.set(key, made);
	}
	return made;
}
`;

/**
 * The registry's source with every `new Intl.X(a, b)` replaced by a cached one. Throws when the
 * source has no such construction (a new Paraglide writes the registry differently: look again
 * rather than silently lose the cache).
 * @param {string} code
 * @returns {string}
 */
export function cacheIntlConstructors(code) {
	let n = 0;
	const out = code.replace(new RegExp(`new Intl\\.(${CONSTRUCTORS.join('|')})\\(([^(),]+),\\s*([^(),]+)\\)`, 'g'), (/** @type {string} */ _, /** @type {string} */ kind, /** @type {string} */ locale, /** @type {string} */ options) => {
		n++;
		return `__kzIntlCached('${kind}', ${locale}, ${options})`;
	});
	if (n === 0) throw new Error('intl-cache: no `new Intl.*(locale, options)` found in the Paraglide registry; check the registry this Paraglide version generates');
	return PRELUDE + out;
}

/**
 * The Vite plugin: applies cacheIntlConstructors to src/lib/paraglide/registry.js.
 * @returns {import('vite').Plugin}
 */
export function intlCache() {
	return {
		name: 'kz-intl-cache',
		enforce: 'pre',
		/** @param {string} code @param {string} id */
		transform(code, id) {
			if (!/[\\/]src[\\/]lib[\\/]paraglide[\\/]registry\.js$/.test(id.split('?')[0])) return null;
			return { code: cacheIntlConstructors(code), map: null };
		}
	};
}
