import { test as base, expect, type Page, type Response } from '@playwright/test';

/**
 * The project's `test`: like Playwright's, except that `page.goto` and `page.reload` on one of the
 * site's HTML pages also wait until the page has hydrated (the layout sets `html[data-hydrated]` in
 * onMount). Until then the build's HTML is on screen but its buttons have no handlers yet, so a click
 * made as soon as `load` fires can be lost on a loaded machine. Tests about the page before hydration
 * pass `{ waitUntil: 'commit' }` (or any waitUntil other than the default) and get Playwright's goto.
 * A dashboard page or an embed of a default view starts its app only when the reader reaches for
 * it (scripts/defer-start.mjs): the fixture moves the mouse over the page first, as a reader would,
 * and then waits.
 */
export const test = base.extend<{ page: Page }>({
	page: async ({ page, javaScriptEnabled, baseURL }, use) => {
		const waitForHydration = async (response: Response | null) => {
			if (javaScriptEnabled === false || !response || !baseURL) return;
			if (!response.url().startsWith(baseURL)) return;
			if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) return;
			await page.mouse.move(1, 1);
			await page.mouse.move(8, 8);
			await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		};
		const goto = page.goto.bind(page);
		page.goto = async (url, options) => {
			const response = await goto(url, options);
			if (options?.waitUntil === undefined) await waitForHydration(response);
			return response;
		};
		const reload = page.reload.bind(page);
		page.reload = async (options) => {
			const response = await reload(options);
			if (options?.waitUntil === undefined) await waitForHydration(response);
			return response;
		};
		await use(page);
	}
});

export { expect };
