/** Every page of the site, for the checks that apply to all of them (no foreign request, axe). */
export const PAGES = ['/', '/allegations/', '/conditions/', '/recommendations/', '/regions/', '/regions/KZ-33/', '/data/', '/data/sql/', '/data/releases/', '/data/releases/1.1.0/'];
export const LOCALES = ['', 'ru/', 'kk/'];
/**
 * Pages whose own spec runs axe-core in every language and scheme, with tooltips and tables open, and
 * in the same test the checks of all-pages.spec.ts (lang, no foreign request, fits 360 px).
 */
export const AXE_ELSEWHERE = ['/allegations/', '/conditions/', '/recommendations/', '/data/', '/data/sql/'];
