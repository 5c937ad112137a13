/**
 * The whole configuration of a rankd instance: rankd.ini in a folder, and the
 * files it points to. Each file that rankd.ini names gets its parsed contents
 * next to its path (`globaldb.config` → `globaldb.tables`).
 */
import { join } from 'node:path';
import type { TableSpec } from '../../globaldb/table.js';
import { readGlobalDbConfig } from './global-db-config.js';
import { readRankdIni, type GlobalDbSection, type RankdIni, type WorksSection } from './rankd-ini.js';
import { readWorkConfig } from './work-config.js';
import type { WorkSpec } from './work-spec.js';

export interface RankdConfig extends RankdIni {
  globaldb: GlobalDbSection & {
    /** The tables global_db_config.ini declares, in DBS_NAME order. */
    tables: TableSpec[];
  };
  works: WorksSection & {
    /** The works work_config.ini declares, with their algorithm configs. */
    works: WorkSpec[];
  };
}

export interface LoadConfigOptions {
  /** Environment for overrides such as RANKD_CONTROL_TOKEN (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Reads `dir/rankd.ini` and the files it names; throws ConfigError naming every problem in the first bad file. */
export function loadConfig(dir: string, options: LoadConfigOptions = {}): RankdConfig {
  const env = options.env ?? process.env;
  const main = readRankdIni(join(dir, 'rankd.ini'), env);
  return {
    ...main,
    globaldb: { ...main.globaldb, tables: readGlobalDbConfig(main.globaldb.config, env) },
    works: { ...main.works, works: readWorkConfig(main.works.config, env) },
  };
}
