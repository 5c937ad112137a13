import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Adds a table to a config folder's global_db_config.ini: its name to
 * DBS_NAME and its section (DB_TYPE, DB_FILE_NAME relative to the folder…).
 */
export function addGlobalTable(configDir: string, name: string, fields: Record<string, string | number>): void {
  const file = path.join(configDir, 'global_db_config.ini');
  const section = [`[${name}]`, ...Object.entries(fields).map(([key, value]) => `${key}=${value}`)].join('\n');
  writeFileSync(file, `${readFileSync(file, 'utf8').replace(/^(DBS_NAME\s*=.*)$/m, `$1,${name}`)}\n${section}\n`);
}
