/**
 * `npm run data:ensure`: build the demonstration data only when static/data/datapackage.json is
 * missing, so `npm run dev`/`build` can depend on it without regenerating every time.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const marker = 'static/data/datapackage.json';
if (existsSync(marker)) {
	console.log(`${marker} exists; data are up to date (run npm run data to rebuild)`);
} else {
	console.log(`${marker} is missing; running npm run data`);
	const result = spawnSync('npm', ['run', 'data'], { stdio: 'inherit', shell: process.platform === 'win32' });
	process.exit(result.status ?? 1);
}
