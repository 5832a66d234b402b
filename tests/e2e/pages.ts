/** Every page of the site, for the checks that apply to all of them (axe, no foreign request). */
export const PAGES = ['/', '/allegations/', '/conditions/', '/recommendations/', '/regions/', '/regions/KZ-33/'];
export const LOCALES = ['', 'ru/', 'kk/'];
