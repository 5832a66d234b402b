// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	/** SITE_URL at build time (e.g. https://monitoring.example.kz/), or '' when not set. */
	const __SITE_URL__: string;
	/** The release the pages are built from, for the service worker ('' before any release exists). */
	const __OFFLINE_RELEASE__: string;
	/** The key of that release's offline data cache (scripts/lib/offline-key.mjs). */
	const __OFFLINE_DATA_KEY__: string;
	namespace App {
		// interface Error {}
		// interface Locals {}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
	interface Window {
		/** Set by the engine when its first query has answered; read by the benchmark. */
		__engineReadyAt?: number;
	}
}

export {};
