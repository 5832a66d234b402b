import { test, expect } from './fixtures';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { securityHeaders } from '../../scripts/headers.mjs';
import { axeSchemes, expectNoAxeViolations, skipWithoutServer, watchCsp } from './helpers';

/*
 * An address with nothing there: each server that serves build/ (project "serve": scripts/serve.mjs,
 * project "nginx": deploy/nginx.conf) answers status 404 with the "page not found" page in the
 * language of the address's prefix, with the site's header, navigation and language links.
 */

test.beforeEach(({}, info) => skipWithoutServer(info));

const MESSAGES = (locale: string) => JSON.parse(readFileSync(path.resolve(`messages/details/${locale}.json`), 'utf8')) as Record<string, string>;
const NAV = (locale: string) => JSON.parse(readFileSync(path.resolve(locale === 'en' ? 'messages/en.json' : `messages/${locale}.json`), 'utf8')) as Record<string, string>;

for (const [prefix, locale] of [
	['', 'en'],
	['/ru', 'ru'],
	['/kk', 'kk']
] as const) {
	for (const missing of ['/no-such-page/', '/allegations/deeper/still/nothing', '/regions/XX-00/']) {
		const address = `${prefix}${missing}`;
		test(`${address}: status 404 and the page in ${locale}, with navigation and language links`, async ({ page, baseURL }) => {
			const csp = await watchCsp(page, baseURL!);
			const errors: string[] = [];
			page.on('pageerror', (e) => errors.push(e.message));
			const res = await page.goto(address);
			expect(res!.status()).toBe(404);
			expect(res!.headers()['content-type']).toBe('text/html; charset=utf-8');
			expect(res!.headers()['content-security-policy']).toBe(securityHeaders(address)['Content-Security-Policy']);
			await expect(page.locator('html')).toHaveAttribute('lang', locale);
			const t = MESSAGES(locale);
			await expect(page.locator('h1')).toHaveText(t.nf_title);
			await expect(page.locator('[data-error-page="404"]')).toContainText(t.nf_lead);
			// The site's header: its navigation (the overview's label in this language) and the language links.
			await expect(page.locator('header nav').first().getByRole('link', { name: NAV(locale).nav_overview, exact: true })).toHaveAttribute('href', `${prefix}/`);
			const langs = page.locator('header nav.langs a');
			await expect(langs).toHaveCount(3);
			// After hydration they lead to the same address in the other languages (the page there says so too).
			const kk = await langs.filter({ hasText: 'Қазақша' }).getAttribute('href');
			expect(kk).toBe(`/kk${missing}`.replace(/\/?$/, '/'));
			// The main pages, each of which exists (status 200).
			const links = await page.locator('[data-error-page] li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
			expect(links).toEqual(['/', '/allegations/', '/conditions/', '/recommendations/', '/regions/', '/data/'].map((p) => `${prefix}${p}`));
			for (const link of links) expect((await page.request.get(link)).status(), link).toBe(200);
			expect(await csp()).toEqual([]);
			expect(errors).toEqual([]);
		});
	}
}

test('a link followed from the 404 page works (the page hydrated at the unknown address)', async ({ page }) => {
	await page.goto('/ru/nothing/here/');
	await page.locator('[data-error-page] li a').nth(1).click();
	await expect(page).toHaveURL(/\/ru\/allegations\/$/);
	await expect(page.locator('h1')).not.toHaveText(MESSAGES('ru').nf_title);
});

test('a client-side link to an address with no page shows the same page (the error page)', async ({ page }) => {
	await page.goto('/kk/');
	// A link inside the site to an address with no page: the router shows the same page.
	await page.evaluate(() => {
		const a = document.createElement('a');
		a.href = '/kk/regions/XX-00/';
		a.id = 'probe';
		a.textContent = 'probe';
		document.querySelector('main')!.append(a);
	});
	await page.locator('#probe').click();
	await expect(page.locator('h1')).toHaveText(MESSAGES('kk').nf_title);
	await expect(page.locator('header nav.langs a')).toHaveCount(3);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('the page is in the HTML: message, navigation and the main pages', async ({ page }) => {
		const res = await page.goto('/ru/nothing/here/');
		expect(res!.status()).toBe(404);
		await expect(page.locator('h1')).toHaveText(MESSAGES('ru').nf_title);
		await expect(page.locator('header nav.langs a')).toHaveCount(3);
		await expect(page.locator('[data-error-page] li a')).toHaveCount(6);
	});
});

for (const address of ['/missing/', '/ru/missing/', '/kk/missing/']) {
	test(`${address}: axe-core finds no violations (${axeSchemes(address).join(' and ')})`, async ({ page }, info) => {
		test.skip(info.project.name !== 'serve', 'the page is the same file whichever server sends it');
		await page.goto(address);
		await expectNoAxeViolations(page, axeSchemes(address));
	});
}
