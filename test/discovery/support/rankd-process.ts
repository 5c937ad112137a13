import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceName } from '../../../src/discovery/service-key.js';
import { serverKey } from '../../../src/discovery/service-key.js';
import { packageRoot } from '../../../src/package-root.js';
import { Daemon, retryWhileExitingEarly } from '../../support/daemon.js';
import { freePorts } from '../../support/free-port.js';
import { tcpExchange } from '../../support/tcp-exchange.js';
import { createTempDir, removeTempDir } from '../../support/temp-dir.js';

/** The probe work beside this file's build: .ts under vitest, .js when a bench runs from dist/. */
const PROBE_WORK = fileURLToPath(new URL(`../fixtures/probe-work${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const RANKD_BIN = path.join(packageRoot, 'bin', 'rankd.js');

export interface RankdProcessOptions {
  /** etcd client URL; without it the server runs stand-alone. */
  etcd?: string;
  service: ServiceName;
  ttlS?: number;
  drainMs?: number;
  weight?: number;
  /** The probe work waits this long per call. */
  delayMs?: number;
}

export interface RankdProcess {
  /** "127.0.0.1:<query port>", as registered. */
  readonly address: string;
  /** Its discovery key. */
  readonly key: string;
  readonly pid: number;
  readonly running: boolean;
  /** Output so far (JSON log lines), for assertions and failure messages. */
  readonly output: string;
  /** SIGTERM: deregister, drain, stop; resolves with how it ended ("exited with code 0") once the process is gone. */
  stop(): Promise<string | undefined>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  /** Stops if running and removes its config copy. */
  destroy(): Promise<void>;
}

/**
 * `node bin/rankd.js serve` as a child process, over a temporary copy of
 * config/ with the probe work added (api "probe", answering with this
 * server's address) and a [discovery] section. A real process, so tests can
 * SIGTERM it through the serve command and SIGKILL it.
 */
export function startRankdProcess(options: RankdProcessOptions): Promise<RankdProcess> {
  return retryWhileExitingEarly(async () => {
    const [queryPort, controlPort] = (await freePorts(2)) as [number, number];
    const root = createTempDir('discovery-server');
    const configDir = writeConfig(root, queryPort, controlPort, options);
    const address = `127.0.0.1:${queryPort}`;
    const daemon = new Daemon({
      name: `rankd ${address}`,
      command: process.execPath,
      args: () => [RANKD_BIN, 'serve', '--config', configDir],
      // Listening means ready: the server binds its port after the pool and tables are up.
      ready: async () => (await tcpExchange({ port: queryPort, send: '', complete: () => true, timeoutMs: 500 })) !== undefined,
      readyTimeoutMs: 30_000,
      stopTimeoutMs: 15_000,
    });
    try {
      await daemon.start();
    } catch (e) {
      removeTempDir(root);
      throw e;
    }
    return {
      address,
      key: serverKey(options.service, address),
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
        await daemon.stop();
        removeTempDir(root);
      },
    };
  });
}

function writeConfig(root: string, queryPort: number, controlPort: number, options: RankdProcessOptions): string {
  const dir = path.join(root, 'config');
  cpSync(path.join(packageRoot, 'config'), dir, { recursive: true, filter: (src) => !src.endsWith('.control-token') && !src.endsWith('rankd.ini') });
  const { service, etcd } = options;
  const discovery = etcd === undefined ? [] : [
    '[discovery]',
    `etcd = ${etcd}`,
    `prefix = ${service.prefix}`,
    `env = ${service.env}`,
    `service = ${service.service}`,
    'advertise_host = 127.0.0.1',
    `ttl_s = ${options.ttlS ?? 2}`,
    `drain_ms = ${options.drainMs ?? 1000}`,
    `weight = ${options.weight ?? 1}`,
    'zone = test-zone',
  ];
  writeFileSync(
    path.join(dir, 'rankd.ini'),
    [
      '[server]',
      'host = 127.0.0.1',
      `query_port = ${queryPort}`,
      `control_port = ${controlPort}`,
      'control_token = test-token',
      'deadline_ms = 5000',
      '[pool]',
      // A piscina task with an abort signal (every rankd request) has a thread to itself
      // whatever tasks_per_thread says, and a queued one can wait behind later ones for
      // seconds: four threads keep the tests' at most four calls in flight from queueing.
      'threads = 4',
      '[admin]',
      'port = 0',
      ...discovery,
      '',
    ].join('\n'),
  );
  const workConfig = path.join(dir, 'work_config.ini');
  const works = readFileSync(workConfig, 'utf8')
    .replaceAll('../workers/', `${path.join(packageRoot, 'workers')}/`)
    .replace(/^WORKS\s*=\s*(.*)$/m, (_line, list: string) => `WORKS = ${list.trim()}, probe`);
  writeFileSync(
    workConfig,
    `${works}\n[probe]\nMODULE = ${PROBE_WORK}\nserver = 127.0.0.1:${queryPort}\ndelay_ms = ${options.delayMs ?? 0}\n`,
  );
  return dir;
}
