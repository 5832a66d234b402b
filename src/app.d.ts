// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
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
