import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Server } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { loadConfig, type RankdConfig } from '../config/load-config.js';
import { registerServer, type ServerRegistration } from '../discovery/server-registration.js';
import { packageVersion } from '../package-root.js';
import { type AdminServer, startAdminServer } from './admin-server.js';
import { startControlServer } from './control-server.js';
import { isLoopback } from './control-token.js';
import type { Controller } from './controller.js';
import { startEngine } from './engine.js';
import type { GlobalData } from './global-data.js';
import { RankdMetrics } from './metrics.js';
import { startQueryServer } from './query-server.js';
import { type ServerLog, serverLog } from './server-log.js';

export type { ServerLog } from './server-log.js';

export interface RankdServer {
  config: RankdConfig;
  queryPort: number;
  controlPort: number;
  /** The admin HTTP port (/metrics, /healthz, /readyz), undefined when turned off. */
  adminPort: number | undefined;
  controlToken: string;
  controller: Controller;
  global: GlobalData;
  metrics: RankdMetrics;
  /** The etcd registration, when rankd.ini has a [discovery] section. */
  registration: ServerRegistration | undefined;
  /**
   * Stops taking calls, lets running ones finish, ends the pool. Health turns
   * NOT_SERVING first; with discovery, the etcd key goes and the server keeps
   * serving for [discovery] drain_ms, so clients move away before the port closes.
   */
  stop(): Promise<void>;
}

/** Tests and embedders adjust the loaded config before start (ports 0 = any free port). */
export type ConfigOverride = (config: RankdConfig) => void;

/** The gRPC health service names: '' for the server as a whole, and the query service. */
const HEALTH_SERVICES = ['', 'rankd.v1.Rank'];

/** Starts a rankd server from a config folder: tables, pool, query and control servers. */
export async function startRankd(configDir: string, override: ConfigOverride = () => {}, givenLog?: ServerLog): Promise<RankdServer> {
  const startTime = new Date();
  const config = loadConfig(configDir);
  override(config);
  const log = givenLog ?? serverLog(config.log.level);
  const { server: s } = config;
  const controlToken = s.controlToken || generatedToken(configDir, s.controlHost, log);

  // The admin port comes up first, so /readyz answers 503 while the tables load.
  let metrics: RankdMetrics | undefined;
  const state = { ready: false, draining: false };
  const admin: AdminServer | undefined =
    config.admin.port === 0
      ? undefined
      : await startAdminServer(config.admin.host, config.admin.port, () => metrics, () => state.ready && !state.draining);
  const health = new HealthImplementation(Object.fromEntries(HEALTH_SERVICES.map((name) => [name, 'NOT_SERVING' as const])));

  const engine = await startEngine(configDir, config, log, (action, ok, seconds) => metrics?.update(action, ok, seconds)).catch(async (e: unknown) => {
    await admin?.close();
    throw e;
  });
  let registration: ServerRegistration | undefined;
  metrics = new RankdMetrics({
    pool: () => engine.dispatch.pool,
    global: engine.global,
    registered: () => (registration === undefined ? undefined : registration.registered ? 1 : 0),
  });
  const servers: Server[] = [];
  try {
    const query = await startQueryServer(
      engine.dispatch,
      { host: s.host, port: s.queryPort, defaultDeadlineMs: s.deadlineMs, maxMessageBytes: s.maxMessageBytes },
      (server) => health.addToServer(server),
      metrics,
    );
    servers.push(query.server);
    const control = await startControlServer(engine.controller, { host: s.controlHost, port: s.controlPort, token: controlToken });
    servers.push(control.server);
    for (const name of HEALTH_SERVICES) health.setStatus(name, 'SERVING');
    state.ready = true;
    log('rankd serving', {
      query: `${s.host}:${query.port}`,
      control: `${s.controlHost}:${control.port}`,
      admin: admin && `${config.admin.host}:${admin.port}`,
      generation: engine.global.generation,
    });
    const { discovery } = config;
    // Registration runs in the background: the server serves even while etcd is unreachable.
    registration =
      discovery &&
      registerServer(discovery, { listenHost: s.host, queryPort: query.port, controlPort: control.port, version: packageVersion(), startTime }, log);
    return {
      config,
      queryPort: query.port,
      controlPort: control.port,
      adminPort: admin?.port,
      controlToken,
      controller: engine.controller,
      global: engine.global,
      metrics,
      registration,
      async stop() {
        state.draining = true;
        for (const name of HEALTH_SERVICES) health.setStatus(name, 'NOT_SERVING');
        log('rankd stopping: health NOT_SERVING; calls taken are answered first', { drainMs: registration !== undefined ? discovery!.drainMs : 0 });
        if (registration !== undefined) {
          await registration.deregister();
          await new Promise((resolve) => setTimeout(resolve, discovery!.drainMs));
        }
        await Promise.all(servers.map((srv) => new Promise<void>((resolve) => srv.tryShutdown(() => resolve()))));
        await engine.stop();
        registration?.close();
        await admin?.close();
        log('rankd stopped', {});
      },
    };
  } catch (e) {
    servers.forEach((srv) => srv.forceShutdown());
    await engine.stop();
    await admin?.close();
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
    log('no control token configured: generated one, but could not save it', { file, error: (e as Error).message }, 'warn');
  }
  return token;
}
