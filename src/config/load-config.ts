/**
 * The whole configuration of a rankd instance: rankd.ini in a folder, and the
 * files it points to. Each file that rankd.ini names gets its parsed contents
 * next to its path (`globaldb.config` → `globaldb.tables`).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TableSpec } from '../../globaldb/table.js';
import type { SourceSpec } from '../remote/source-spec.js';
import { readDbConfig } from './db-config.js';
import { readGlobalDbConfig } from './global-db-config.js';
import { readRankdIni, type GlobalDbSection, type RankdIni, type RemoteSection, type WorksSection } from './rankd-ini.js';
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
  remote: RemoteSection & {
    /** db_config.ini: the named file, or the default one beside rankd.ini (which may be absent). */
    config: string;
    /** The remote sources db_config.ini declares, in DBS_NAME order; none without the file. */
    sources: SourceSpec[];
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
    remote: remoteConfig(main, env),
  };
}

/** A db_config.ini that rankd.ini names must exist; the default one is optional. */
function remoteConfig(main: RankdIni, env: NodeJS.ProcessEnv): RankdConfig['remote'] {
  const config = main.remote.config ?? join(dirname(main.file), 'db_config.ini');
  const sources = main.remote.config === undefined && !existsSync(config) ? [] : readDbConfig(config, env);
  return { config, sources };
}
