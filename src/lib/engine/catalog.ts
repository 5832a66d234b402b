/**
 * The released tables, as datapackage.json lists them. Table names become SQL identifiers, so
 * only names made of [a-z0-9_] and paths made of safe file-name characters are accepted.
 */
export interface DataResource {
	name: string;
	path: string;
	bytes?: number;
	rows?: number;
	hash?: string;
	description?: string;
	title?: string;
	schema?: { fields: { name: string; type: string; description?: string; constraints?: { enum?: string[] } }[] };
}

export interface DataPackage {
	name?: string;
	title?: string;
	version?: string;
	created?: string;
	licenses?: { name: string; path?: string; title?: string }[];
	sources?: { title: string; path?: string }[];
	resources: DataResource[];
	[key: string]: unknown;
}

const SAFE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const SAFE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*\.parquet$/;

export function parquetResources(pkg: DataPackage): DataResource[] {
	if (!pkg || !Array.isArray(pkg.resources)) {
		throw new Error('datapackage.json has no "resources" list');
	}
	return pkg.resources.filter((r) => {
		if (!SAFE_PATH.test(r.path ?? '')) return false;
		if (!SAFE_NAME.test(r.name ?? '')) {
			throw new Error(`datapackage.json: resource name "${r.name}" is not a valid table name`);
		}
		return true;
	});
}

/** Files under this many bytes are copied into memory once: later queries skip HTTP entirely. */
export const MATERIALIZE_BELOW_BYTES = 24 * 1024 * 1024;

export function createTableSql(r: DataResource, fileName: string): string {
	// Names and paths were checked against the patterns above; nothing here comes from a user.
	const kind = (r.bytes ?? Infinity) < MATERIALIZE_BELOW_BYTES ? 'TABLE' : 'VIEW';
	return `CREATE OR REPLACE ${kind} ${r.name} AS SELECT * FROM read_parquet('${fileName}')`;
}
