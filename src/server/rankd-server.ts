import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from '@grpc/grpc-js';
import { loadConfig, type RankdConfig } from '../config/load-config.js';
import { registerServer, type ServerRegistration } from '../discovery/server-registration.js';
import { GenerationPublisher } from '../pool/generation-publisher.js';
import { startControlServer } from './control-server.js';
import { isLoopback } from './control-token.js';
import { Controller } from './controller.js';
import { GlobalData } from './global-data.js';
import { startQueryServer } from './query-server.js';
import { packageVersion } from '../package-root.js';

export interface RankdServer {
  config: RankdConfig;
  queryPort: number;
  controlPort: number;
  controlToken: string;
  controller: Controller;
  global: GlobalData;
  /** The etcd registration, when rankd.ini has a [discovery] section. */
  registration: ServerRegistration | undefined;
  /**
   * Stops taking calls, lets running ones finish, ends the pool. With
   * discovery, it first deletes the etcd key and keeps serving for
   * [discovery] drain_ms, so clients move away before the port closes.
   */
  stop(): Promise<void>;
}

/** Tests and embedders adjust the loaded config before start (ports 0 = any free port). */
export type ConfigOverride = (config: RankdConfig) => void;

export type ServerLog = (msg: string, fields?: Record<string, unknown>) => void;

const stderrLog: ServerLog = (msg, fields) => process.stderr.write(`${JSON.stringify({ time: Date.now(), level: 'info', msg, ...fields })}\n`);

/** Starts a rankd server from a config folder: tables, pool, query and control servers. */
export async function startRankd(configDir: string, override: ConfigOverride = () => {}, log: ServerLog = stderrLog): Promise<RankdServer> {
  const startTime = new Date();
  const config = loadConfig(configDir);
  override(config);
  const { server: s } = config;
  const controlToken = s.controlToken || generatedToken(configDir, s.controlHost, log);

  const publisher = new GenerationPublisher();
  const global = new GlobalData(publisher, { graceMs: config.globaldb.graceMs, maxShrink: config.globaldb.maxShrink });
  const controller = new Controller(global, publisher, {
    readConfig: () => {
      const fresh = loadConfig(configDir);
      return { tables: fresh.globaldb.tables, works: fresh.works.works };
    },
    poolOptions: (works) => ({
      threads: config.pool.threads || os.availableParallelism(),
      queueSize: config.pool.queueSize,
      tasksPerThread: config.pool.tasksPerThread,
      maxCandidates: s.maxCandidates,
      killAfterMs: 1000,
      works,
    }),
    version: packageVersion(),
    log,
  });
  const dispatch = await controller.start();
  const servers: Server[] = [];
  try {
    const query = await startQueryServer(dispatch, {
      host: s.host,
      port: s.queryPort,
      defaultDeadlineMs: s.deadlineMs,
      maxMessageBytes: s.maxMessageBytes,
    });
    servers.push(query.server);
    const control = await startControlServer(controller, { host: s.controlHost, port: s.controlPort, token: controlToken });
    servers.push(control.server);
    log('rankd serving', { query: `${s.host}:${query.port}`, control: `${s.controlHost}:${control.port}`, generation: global.generation });
    const { discovery } = config;
    // Registration runs in the background: the server serves even while etcd is unreachable.
    const registration =
      discovery &&
      registerServer(discovery, { listenHost: s.host, queryPort: query.port, controlPort: control.port, version: packageVersion(), startTime }, log);
    return {
      config,
      queryPort: query.port,
      controlPort: control.port,
      controlToken,
      controller,
      global,
      registration,
      async stop() {
        if (registration !== undefined) {
          await registration.deregister();
          await new Promise((resolve) => setTimeout(resolve, discovery!.drainMs));
        }
        await Promise.all(servers.map((srv) => new Promise<void>((resolve) => srv.tryShutdown(() => resolve()))));
        await controller.stop();
        registration?.close();
      },
    };
  } catch (e) {
    servers.forEach((srv) => srv.forceShutdown());
    await controller.stop();
    throw e;
  }
}

/**
 * With no token configured, the control server (loopback only) uses a random
 * one, saved where `rankd ctl` looks for it.
 */
function generatedToken(configDir: string, controlHost: string, log: ServerLog): string {
  if (!isLoopback(controlHost)) {
    throw new Error(
      `control_host ${controlHost} is not a loopback address and no control token is set: set [server] control_token or RANKD_CONTROL_TOKEN`,
    );
  }
  const token = randomBytes(24).toString('base64url');
  const file = path.join(configDir, '.control-token');
  try {
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    log('no control token configured: generated one', { file });
  } catch (e) {
    log('no control token configured: generated one, but could not save it', { file, error: (e as Error).message });
  }
  return token;
}
