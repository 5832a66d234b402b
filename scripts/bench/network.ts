/**
 * Every byte a page transfers, the DuckDB worker's included. The page's resource timing does not
 * list requests made by a worker (DuckDB-WASM reads Parquet with range requests from its worker),
 * so the bench counts from the browser side instead: Playwright's request events cover the page and
 * its dedicated workers; request.sizes() gives the bytes received (response headers + encoded body,
 * as they came over the wire) and request.timing() when the response ended, in wall-clock ms,
 * which the page's performance.timeOrigin turns into ms since navigation.
 */
import type { Page, Request } from '@playwright/test';

export interface Transfer {
	url: string;
	status: number;
	kind: 'document' | 'script' | 'style' | 'wasm' | 'parquet' | 'json' | 'other';
	/** A 206 answer to a range request (in practice DuckDB's reads). */
	range: boolean;
	bytes: number;
	/** Wall-clock ms (epoch) when the response ended. */
	endEpoch: number;
}

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);

function kindOf(r: Request): Transfer['kind'] {
	const p = new URL(r.url()).pathname;
	if (r.resourceType() === 'document') return 'document';
	if (p.endsWith('.parquet')) return 'parquet';
	if (p.endsWith('.wasm')) return 'wasm';
	if (/\.m?js$/.test(p)) return 'script';
	if (p.endsWith('.css')) return 'style';
	if (p.endsWith('.json')) return 'json';
	return 'other';
}

export class NetworkLedger {
	inflight = 0;
	lastActivity = Date.now();
	/** A worker appeared or a .wasm was requested: the browser engine is on its way. */
	engineStarted = false;
	failed = 0;
	/** Requests to anything but localhost (there must be none; the browser cannot resolve them). */
	foreign: string[] = [];
	#records: Promise<Transfer | null>[] = [];

	constructor(page: Page) {
		page.on('request', (r) => {
			this.inflight++;
			this.lastActivity = Date.now();
			const u = new URL(r.url());
			if (/^https?:$/.test(u.protocol) && !LOCAL.has(u.hostname)) this.foreign.push(r.url());
			if (u.pathname.endsWith('.wasm')) this.engineStarted = true;
		});
		page.on('requestfinished', (r) => {
			this.inflight--;
			this.lastActivity = Date.now();
			this.#records.push(this.#record(r, Date.now()));
		});
		page.on('requestfailed', () => {
			this.inflight--;
			this.failed++;
			this.lastActivity = Date.now();
		});
		page.on('worker', () => {
			this.engineStarted = true;
		});
	}

	async #record(r: Request, seenAt: number): Promise<Transfer | null> {
		if (!/^https?:/.test(r.url())) return null; // blob:/data: URLs move no bytes
		const sizes = await r.sizes().catch(() => null);
		const response = await r.response().catch(() => null);
		const t = r.timing();
		return {
			url: r.url(),
			status: response?.status() ?? 0,
			kind: kindOf(r),
			range: response?.status() === 206,
			bytes: sizes ? Math.max(0, sizes.responseHeadersSize) + Math.max(0, sizes.responseBodySize) : 0,
			endEpoch: t.responseEnd >= 0 ? t.startTime + t.responseEnd : seenAt
		};
	}

	/** How many responses have ended so far (a mark to split "at load" from "after changes"). */
	get mark(): number {
		return this.#records.length;
	}

	async transfers(upTo = Infinity): Promise<Transfer[]> {
		const all = await Promise.all(this.#records.slice(0, upTo));
		return all.filter((t): t is Transfer => t !== null);
	}

	/** Wait until no request has been in flight for `quietMs`. */
	async idle(quietMs: number, timeoutMs = 120_000): Promise<void> {
		const t0 = Date.now();
		while (Date.now() - t0 < timeoutMs) {
			if (this.inflight <= 0 && Date.now() - this.lastActivity >= quietMs) return;
			await new Promise((r) => setTimeout(r, 25));
		}
	}
}

export const kb = (ts: Transfer[], pred: (t: Transfer) => boolean = () => true) => ts.filter(pred).reduce((s, t) => s + t.bytes, 0) / 1024;
