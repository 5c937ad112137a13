import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/package-root.js';
import { Daemon, retryWhileExitingEarly } from './daemon.js';
import { onExit } from './exit-cleanup.js';
import { freePorts } from './free-port.js';
import { controlClient, rankClient } from './rankd-client.js';
import { copyConfig } from './rankd-fixture.js';
import { tcpExchange } from './tcp-exchange.js';

const RANKD_BIN = path.join(packageRoot, 'bin', 'rankd.js');
export const TEST_TOKEN = 'test-token';

/** rankd.ini as sections of keys; values are written as they are. */
export type IniSections = Record<string, Record<string, string | number | boolean>>;

export interface ExtraWork {
  /** Absolute path of the work module. */
  module: string;
  /** The work's own (lower-case) keys. */
  params?: Record<string, string | number>;
}

export interface RankdChildOptions {
  /** Works added to work_config.ini, by api; a function gets the server's query address. */
  works?: Record<string, ExtraWork> | ((queryAddress: string) => Record<string, ExtraWork>);
  /** rankd.ini keys set over the defaults (loopback, free ports, 2 threads, admin on). */
  ini?: IniSections;
  /**
   * Edits the config copy before the start (data files, global_db_config.ini,
   * db_config.ini). The shipped db_config.ini is removed first: no remote
   * sources unless this writes one.
   */
  prepare?: (configDir: string) => void;
  /** Environment of the server process (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Flags for node itself, before the script (default: none). */
  nodeFlags?: string[];
}

export interface RankdChild {
  readonly configDir: string;
  /** "127.0.0.1:<query port>". */
  readonly queryAddress: string;
  readonly controlAddress: string;
  readonly adminPort: number;
  readonly pid: number;
  readonly running: boolean;
  /** The tail of its output (JSON log lines), for failure messages. */
  readonly output: string;
  readonly rank: ReturnType<typeof rankClient>;
  readonly control: ReturnType<typeof controlClient>;
  /** SIGTERM; resolves with how it ended ("exited with code 0"). */
  stop(): Promise<string | undefined>;
  /** SIGKILL. */
  kill(): Promise<void>;
  /** Stops it if running, closes the clients, removes the config copy. */
  destroy(): Promise<void>;
}

/**
 * `node bin/rankd.js serve` as a child process over a temporary copy of
 * config/, with extra works and rankd.ini settings: a real server process
 * that tests can overload, starve, crash and signal.
 */
export function startRankdChild(options: RankdChildOptions = {}): Promise<RankdChild> {
  return retryWhileExitingEarly(async () => {
    const [queryPort, controlPort, adminPort] = (await freePorts(3)) as [number, number, number];
    const queryAddress = `127.0.0.1:${queryPort}`;
    const { root, configDir } = copyConfig((dir) => {
      rmSync(path.join(dir, 'db_config.ini'), { force: true });
      writeRankdIni(dir, queryPort, controlPort, adminPort, options.ini ?? {});
      const { works = {} } = options;
      addWorks(dir, typeof works === 'function' ? works(queryAddress) : works);
      options.prepare?.(dir);
    });
    const forgetRoot = onExit(() => rmSync(root, { recursive: true, force: true }));
    const removeRoot = () => {
      rmSync(root, { recursive: true, force: true });
      forgetRoot();
    };
    const daemon = new Daemon({
      name: `rankd ${queryAddress}`,
      command: process.execPath,
      args: () => [...(options.nodeFlags ?? []), RANKD_BIN, 'serve', '--config', configDir],
      env: options.env,
      // The query port opens once the tables and the pool are up.
      ready: async () => (await tcpExchange({ port: queryPort, send: '', complete: () => true, timeoutMs: 500 })) !== undefined,
      readyTimeoutMs: 60_000,
      stopTimeoutMs: 15_000,
    });
    try {
      await daemon.start();
    } catch (e) {
      removeRoot();
      throw e;
    }
    const controlAddress = `127.0.0.1:${controlPort}`;
    const rank = rankClient(queryAddress);
    const control = controlClient(controlAddress, TEST_TOKEN);
    return {
      configDir,
      queryAddress,
      controlAddress,
      adminPort,
      rank,
      control,
      get pid() {
        return daemon.pid;
      },
      get running() {
        return daemon.running;
      },
      get output() {
        return daemon.recentOutput;
      },
      async stop() {
        await daemon.stop();
        return daemon.lastExitStatus;
      },
      kill: () => daemon.kill(),
      async destroy() {
        rank.close();
        control.close();
        await daemon.stop();
        removeRoot();
      },
    };
  });
}

function writeRankdIni(dir: string, queryPort: number, controlPort: number, adminPort: number, overrides: IniSections): void {
  const sections: IniSections = {
    server: { host: '127.0.0.1', query_port: queryPort, control_port: controlPort, control_token: TEST_TOKEN, deadline_ms: 5000 },
    pool: { threads: 2 },
    admin: { host: '127.0.0.1', port: adminPort },
  };
  for (const [name, keys] of Object.entries(overrides)) sections[name] = { ...sections[name], ...keys };
  const text = Object.entries(sections)
    .map(([name, keys]) => [`[${name}]`, ...Object.entries(keys).map(([key, value]) => `${key} = ${value}`)].join('\n'))
    .join('\n\n');
  writeFileSync(path.join(dir, 'rankd.ini'), `${text}\n`);
}

function addWorks(dir: string, works: Record<string, ExtraWork>): void {
  const apis = Object.keys(works);
  if (apis.length === 0) return;
  const file = path.join(dir, 'work_config.ini');
  const listed = readFileSync(file, 'utf8').replace(/^WORKS\s*=\s*(.*)$/m, (_line, list: string) => `WORKS = ${[list.trim(), ...apis].join(', ')}`);
  const sections = Object.entries(works).map(([api, work]) =>
    [`[${api}]`, `MODULE = ${work.module}`, ...Object.entries(work.params ?? {}).map(([key, value]) => `${key} = ${value}`)].join('\n'),
  );
  writeFileSync(file, `${listed}\n${sections.join('\n\n')}\n`);
}
