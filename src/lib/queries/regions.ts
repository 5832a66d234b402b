import type { Engine } from '$lib/engine/types';

export interface Region {
	region_code: string;
	name_en: string;
	name_ru: string;
	name_kk: string;
	kind: string;
	predecessor: string | null;
}

export const REGIONS_SQL = `SELECT region_code, name_en, name_ru, name_kk, kind, predecessor
FROM regions ORDER BY region_code`;

export function loadRegions(engine: Engine): Promise<Region[]> {
	return engine.query<Region>(REGIONS_SQL);
}

export function regionName(region: Pick<Region, 'name_en' | 'name_ru' | 'name_kk'> | undefined, locale: string): string {
	if (!region) return '';
	return locale === 'ru' ? region.name_ru : locale === 'kk' ? region.name_kk : region.name_en;
}
