import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Adds work `api` from `module` to the work_config.ini of a copied config folder. */
export function addWork(configDir: string, api: string, module: string): void {
  const file = join(configDir, 'work_config.ini');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^WORKS\s*=\s*(.*)$/m, `WORKS = $1, ${api}`));
  appendFileSync(file, `\n[${api}]\nMODULE = ${module}\n`);
}
