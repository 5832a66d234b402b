// Writes .br and .gz beside every compressible file in build/, as adapter-static's `precompress`
// would, but (1) big files use brotli quality 9 instead of 11 (3.3 s instead of 56 s for each 20 MB
// .wasm, for ~13% more bytes; set PRECOMPRESS_MAX=1 for a production build) and (2) results are
// cached by content hash, so the unchanging DuckDB .wasm is compressed once per machine.
// Parquet is left alone: it is zstd inside already, and DuckDB reads it with range requests.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.resolve(process.argv[2] ?? 'build');
const cacheDir = path.resolve('node_modules/.cache/precompress');
const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|wasm|arrow|txt|xml|csv|md|cff)$/;
const BIG = 1024 * 1024;
const max = process.env.PRECOMPRESS_MAX === '1';
// The test run sets a low quality: the site is still served precompressed, 40 s sooner.
const fixedQuality = process.env.PRECOMPRESS_QUALITY ? Number(process.env.PRECOMPRESS_QUALITY) : null;

function* walk(dir) {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* walk(p);
		else if (COMPRESSIBLE.test(entry.name)) yield p;
	}
}

function cached(kind, buf, make) {
	const key = createHash('sha256').update(buf).digest('hex') + (max ? '-max' : fixedQuality ? `-q${fixedQuality}` : '') + '.' + kind;
	const file = path.join(cacheDir, key);
	if (existsSync(file)) return readFileSync(file);
	const out = make();
	if (buf.length >= BIG) {
		mkdirSync(cacheDir, { recursive: true });
		writeFileSync(file, out);
	}
	return out;
}

const t0 = performance.now();
let files = 0;
let raw = 0;
let br = 0;
for (const file of walk(root)) {
	const buf = readFileSync(file);
	if (buf.length < 512) continue;
	const quality = fixedQuality ?? (buf.length >= BIG && !max ? 9 : 11);
	const b = cached('br', buf, () =>
		brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } })
	);
	const g = cached('gz', buf, () => gzipSync(buf, { level: 9 }));
	writeFileSync(file + '.br', b);
	writeFileSync(file + '.gz', g);
	files++;
	raw += statSync(file).size;
	br += b.length;
}
const mb = (n) => (n / 1048576).toFixed(1) + ' MB';
console.log(`precompress: ${files} files, ${mb(raw)} -> ${mb(br)} brotli in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
