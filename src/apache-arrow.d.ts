// apache-arrow 13's package.json "exports" has no "types" condition, so TypeScript finds no
// declarations for it; these are the few functions this project calls.
declare module 'apache-arrow' {
	export interface ArrowTable {
		readonly numRows: number;
		getChild(name: string): { toArray(): ArrayLike<number> } | null;
	}
	export function tableFromIPC(bytes: Uint8Array): ArrowTable;
	export function tableFromArrays(columns: Record<string, Uint8Array | Uint16Array | Uint32Array | Float64Array>): ArrowTable;
	export function tableToIPC(table: ArrowTable, type?: 'file' | 'stream'): Uint8Array;
}
