/** The main file, rankd.ini: its sections, keys, defaults and types. */
import { availableParallelism } from 'node:os';
import { ProblemList } from './config-error.js';
import { readIniFile } from './ini-file.js';
import { durationMs, int, number, oneOf, path, port, readSections, string, type FileSchema } from './schema.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerSection {
  /** Address of the query server. */
  host: string;
  queryPort: number;
  /** Address of the control server (UpdateGlobal, UpdateWork…); loopback by default. */
  controlHost: string;
  controlPort: number;
  /** Required by the control server when set; RANKD_CONTROL_TOKEN overrides the file. */
  controlToken: string | undefined;
  /** Deadline of a request whose call carries none. */
  deadlineMs: number;
  /** Candidates accepted in one request. */
  maxCandidates: number;
  /** Largest gRPC message, both directions. */
  maxMessageBytes: number;
}

export interface PoolSection {
  /** Worker threads; 0 in the file means one per core, resolved here. */
  threads: number;
  /** Tasks that may wait for a thread before requests are refused. */
  queueSize: number;
  /** Tasks one thread runs at once (they interleave at awaits, e.g. remote reads). */
  tasksPerThread: number;
}

export interface GlobalDbSection {
  /** Absolute path of global_db_config.ini. */
  config: string;
  /** How long old buffers outlive the last thread's acknowledgement of a new generation. */
  graceMs: number;
  /** An update leaving a table with fewer than (1 - maxShrink) × its current entries is refused; 1 allows any. */
  maxShrink: number;
}

export interface WorksSection {
  /** Absolute path of work_config.ini. */
  config: string;
}

export interface LogSection {
  level: LogLevel;
}

/** rankd.ini as typed values; the files it points to are read by loadConfig. */
export interface RankdIni {
  /** Absolute path of rankd.ini. */
  file: string;
  server: ServerSection;
  pool: PoolSection;
  globaldb: GlobalDbSection;
  works: WorksSection;
  log: LogSection;
}

const rankdIniSchema: FileSchema<Omit<RankdIni, 'file'>> = {
  server: {
    host: string().default('0.0.0.0'),
    queryPort: port().default(21345),
    controlHost: string().default('127.0.0.1'),
    controlPort: port().default(21346),
    controlToken: string().optional().env('RANKD_CONTROL_TOKEN'),
    deadlineMs: durationMs({ min: 1 }).default(1000),
    maxCandidates: int({ min: 1 }).default(10_000),
    maxMessageBytes: int({ min: 1024, max: 2 ** 31 - 1 }).default(4 * 1024 * 1024),
  },
  pool: {
    threads: int({ min: 0, max: 1024 })
      .default(0)
      .map((threads) => (threads === 0 ? availableParallelism() : threads)),
    queueSize: int({ min: 0 }).default(1024),
    tasksPerThread: int({ min: 1, max: 1024 }).default(2),
  },
  globaldb: {
    config: path().default('global_db_config.ini'),
    graceMs: durationMs({ min: 0 }).default(2000),
    maxShrink: number({ min: 0, max: 1 }).default(0.5),
  },
  works: {
    config: path().default('work_config.ini'),
  },
  log: {
    level: oneOf(LOG_LEVELS).default('info'),
  },
};

/** Reads rankd.ini; throws ConfigError naming every problem. */
export function readRankdIni(file: string, env: NodeJS.ProcessEnv = process.env): RankdIni {
  const problems = new ProblemList();
  const ini = readIniFile(file, problems);
  const sections = readSections({ ini, env, problems }, rankdIniSchema);
  problems.throwIfAny();
  return { file: ini.file, ...sections };
}
