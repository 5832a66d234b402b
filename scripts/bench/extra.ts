import type { Browser } from '@playwright/test';

/** Further benchmarks (filter-change latency per page, ...) plug in here. */
export async function extraBenchmarks(_browser: Browser, _origin: string): Promise<Record<string, unknown>> {
	return {};
}
