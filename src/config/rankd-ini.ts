/** The main file, rankd.ini: its sections, keys, defaults and types. */
import { availableParallelism } from 'node:os';
import { ProblemList } from './config-error.js';
import { readIniFile } from './ini-file.js';
import { durationMs, int, list, number, oneOf, path, port, readSections, string, type FileSchema } from './schema.js';

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
  /** Calls that may wait for a thread before requests are refused. */
  queueSize: number;
  /** Tasks one thread runs at once (they interleave at awaits, e.g. remote reads). */
  tasksPerThread: number;
  /** Calls handed to a thread in one task when they queue up (see src/pool/call-batcher.ts). */
  batchMax: number;
  /** Heap limit of each pool thread, MiB: a work that exceeds it fails its call and the thread is replaced. */
  maxHeapMb: number;
  /** Young-generation size of each pool thread, MiB (see config/rankd.ini). */
  youngHeapMb: number;
  /** A task still running this long after its deadline has its thread terminated and replaced. */
  killAfterMs: number;
  /** Niceness of pool threads (0–19; 0 = the main thread's priority): see config/rankd.ini. */
  nice: number;
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
  /** Requests slower than this are logged with per-stage timings; 0 turns the slow log off. */
  slowMs: number;
}

export interface AdminSection {
  /** Address of the admin HTTP server (/metrics, /healthz, /readyz): loopback unless configured. */
  host: string;
  /** 0 turns the admin server off. */
  port: number;
}

export interface RemoteSection {
  /** Absolute path of db_config.ini (remote sources); unset = db_config.ini beside rankd.ini, if there is one. */
  config: string | undefined;
}

/**
 * Registration in etcd under `/<prefix>/<env>/<service>/<host:port>`. The
 * section is optional: without `etcd =` the server runs stand-alone.
 */
export interface DiscoverySection {
  /** etcd client endpoints, e.g. http://10.0.0.5:2379. */
  etcd: string[];
  /** First segment of the key (the discovery seed's default). */
  prefix: string;
  /** Deployment environment: dev, staging, prod… */
  env: string;
  service: string;
  /** Host clients should dial; unset = the first non-loopback IPv4 of this machine. */
  advertiseHost: string | undefined;
  /** Lease TTL: a server that dies without deregistering disappears after this long. */
  ttlS: number;
  /** After deregistering on SIGTERM/SIGINT, keep serving this long so clients move away first. */
  drainMs: number;
  /** Relative share of ring_hash keys (metadata for balancers). */
  weight: number;
  /** Free-form locality label (metadata). */
  zone: string;
}

type DiscoveryIni = Omit<DiscoverySection, 'etcd'> & { etcd: string[] | undefined };

/** rankd.ini as typed values; the files it points to are read by loadConfig. */
export interface RankdIni {
  /** Absolute path of rankd.ini. */
  file: string;
  server: ServerSection;
  pool: PoolSection;
  globaldb: GlobalDbSection;
  works: WorksSection;
  log: LogSection;
  admin: AdminSection;
  remote: RemoteSection;
  /** Absent when rankd.ini sets no `[discovery] etcd`: the server is stand-alone. */
  discovery: DiscoverySection | undefined;
}

type RankdIniSections = Omit<RankdIni, 'file' | 'discovery'> & { discovery: DiscoveryIni };

const rankdIniSchema: FileSchema<RankdIniSections> = {
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
    batchMax: int({ min: 1, max: 1024 }).default(8),
    maxHeapMb: int({ min: 16, max: 65536 }).default(1024),
    youngHeapMb: int({ min: 2, max: 1024 }).default(6),
    killAfterMs: durationMs({ min: 0 }).default(1000),
    nice: int({ min: 0, max: 19 }).default(10),
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
    slowMs: durationMs({ min: 0 }).default(250),
  },
  admin: {
    host: string().default('127.0.0.1'),
    port: int({ min: 0, max: 65535 }).default(21347),
  },
  remote: {
    config: path().optional(),
  },
  discovery: {
    etcd: list().optional(),
    prefix: string().default('etcd'),
    env: string().default('dev'),
    service: string().default('rankd'),
    advertiseHost: string().optional(),
    ttlS: int({ min: 1, max: 3600 }).default(10),
    drainMs: durationMs({ min: 0 }).default(1000),
    weight: number({ min: 0.01, max: 1000 }).default(1),
    zone: string().default(''),
  },
};

/** Reads rankd.ini; throws ConfigError naming every problem. */
export function readRankdIni(file: string, env: NodeJS.ProcessEnv = process.env): RankdIni {
  const problems = new ProblemList();
  const ini = readIniFile(file, problems);
  const { discovery, ...sections } = readSections({ ini, env, problems }, rankdIniSchema);
  // Settings without endpoints are most likely a forgotten etcd line, not a wish to run stand-alone.
  const settings = [...(ini.sections.get('discovery')?.keys() ?? [])].filter((key) => key !== 'etcd');
  if (discovery.etcd === undefined && settings.length > 0) {
    const message = `missing: ${settings.join(', ')} need etcd endpoints; set etcd, or remove the section to run stand-alone`;
    problems.add({ file: ini.file, section: 'discovery', key: 'etcd', message });
  }
  problems.throwIfAny();
  const { etcd } = discovery;
  return { file: ini.file, ...sections, discovery: etcd === undefined || etcd.length === 0 ? undefined : { ...discovery, etcd } };
}
