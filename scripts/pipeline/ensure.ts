/**
 * `npm run data:ensure`: build the demonstration data only when static/data/datapackage.json is
 * missing, so `npm run dev`/`build` can depend on it without regenerating every time; rebuild the
 * rollups alone when they are missing or were derived from another release.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { buildRollups, rollupsUpToDate } from '../rollups/build.ts';

const marker = 'static/data/datapackage.json';
if (existsSync(marker)) {
	if (rollupsUpToDate('static/data')) console.log(`${marker} exists; data and rollups are up to date (run npm run data to rebuild)`);
	else {
		const { seconds } = await buildRollups('static/data');
		console.log(`${marker} exists; its rollups were missing or stale and were rebuilt in ${seconds.toFixed(1)} s`);
	}
} else {
	console.log(`${marker} is missing; running npm run data`);
	const result = spawnSync('npm', ['run', 'data'], { stdio: 'inherit', shell: process.platform === 'win32' });
	process.exit(result.status ?? 1);
}
