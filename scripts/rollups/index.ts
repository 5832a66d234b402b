/**
 * npm run data:rollups [-- --data DIR]: derive the dashboard's rollups from a release folder
 * (default static/data). The pipeline runs this step itself; run it by hand for a release made
 * elsewhere. See build.ts.
 */
import { parseArgs } from '../lib/args.ts';
import { buildRollups } from './build.ts';

const args = parseArgs(process.argv.slice(2), { data: 'string' });
const dir = (args.data as string) ?? 'static/data';
buildRollups(dir)
	.then(({ manifest, seconds }) => {
		const sizes = Object.entries(manifest.cubes).map(([name, c]) => `${name} ${c!.rows} rows (${Math.round(c!.bytes / 1024)} KB)`);
		console.log(`rollups: ${sizes.join(', ')} -> ${dir}/rollups in ${seconds.toFixed(1)} s`);
	})
	.catch((err) => {
		console.error(err instanceof Error ? err.message : err);
		process.exit(1);
	});
