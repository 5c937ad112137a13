import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../../src/package-root.js';
import { Daemon, retryWhileExitingEarly } from '../../support/daemon.js';
import { freePorts } from '../../support/free-port.js';
import { isProcessAlive } from '../../support/process-alive.js';
import { controlClient, rankClient } from '../../support/rankd-client.js';
import { copyConfig } from '../../support/rankd-fixture.js';
import { tcpExchange } from '../../support/tcp-exchange.js';
import type { ServerUnderTest } from './reference-requests.js';

/**
 * `node bin/rankd.js serve` as a child process over a copy of config/, for
 * the one property that must see the process itself: an error nobody
 * catches kills a real server, where in a test process it is only reported.
 */
export interface RankdDaemon extends ServerUnderTest {
  readonly pid: number;
  /** The process is running (not exited, not a zombie). */
  alive(): boolean;
  /** Its output so far, for failure messages. */
  readonly output: string;
  destroy(): Promise<void>;
}

const THREADS = 2;

export function startRankdDaemon(): Promise<RankdDaemon> {
  return retryWhileExitingEarly(async () => {
    const [queryPort, controlPort] = (await freePorts(2)) as [number, number];
    const { root, configDir } = copyConfig((dir) =>
      writeFileSync(
        path.join(dir, 'rankd.ini'),
        ['[server]', 'host = 127.0.0.1', `query_port = ${queryPort}`, `control_port = ${controlPort}`, 'control_token = test-token', '[pool]', `threads = ${THREADS}`, '[admin]', 'port = 0', ''].join('\n'),
      ),
    );
    const daemon = new Daemon({
      name: `rankd :${queryPort}`,
      command: process.execPath,
      args: () => [path.join(packageRoot, 'bin', 'rankd.js'), 'serve', '--config', configDir],
      env: { ...process.env, RANKD_CONTROL_TOKEN: '' },
      // Listening means ready: the server binds its port after the pool and tables are up.
      ready: async () => (await tcpExchange({ port: queryPort, send: '', complete: () => true, timeoutMs: 500 })) !== undefined,
      readyTimeoutMs: 30_000,
    });
    try {
      await daemon.start();
    } catch (e) {
      rmSync(root, { recursive: true, force: true });
      throw e;
    }
    const rank = rankClient(`127.0.0.1:${queryPort}`);
    const control = controlClient(`127.0.0.1:${controlPort}`, 'test-token');
    return {
      rank,
      control,
      threads: THREADS,
      pid: daemon.pid,
      alive: () => daemon.running && isProcessAlive(daemon.pid),
      get output() {
        return daemon.recentOutput;
      },
      async destroy() {
        rank.close();
        control.close();
        await daemon.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  });
}
