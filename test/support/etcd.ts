import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, retryWhileExitingEarly } from './daemon.js';
import { freePorts } from './free-port.js';
import { createTempDir, removeTempDir } from './temp-dir.js';

const ETCD_BIN = '/usr/bin/etcd';

export interface EtcdProcess {
  /** 'http://127.0.0.1:PORT' — the client URL. */
  readonly endpoint: string;
  /** Client port. */
  readonly port: number;
  readonly peerPort: number;
  readonly dataDir: string;
  /** PID of the running etcd, or of the last one after a stop. */
  readonly pid: number;
  readonly running: boolean;
  /** Starts again on the same ports and data dir (after stop, kill or wipe). */
  start(): Promise<void>;
  /** SIGTERM (SIGKILL after a deadline); the data dir is kept so start() resumes with the same data. */
  stop(): Promise<void>;
  /** SIGKILL, as in a crash; the data dir is kept. */
  kill(): Promise<void>;
  /** Deletes the data while stopped, so the next start() is a brand-new cluster. */
  wipe(): void;
  /** Stops and removes the temp dir for good (also done at process exit). */
  destroy(): Promise<void>;
}

/** A single-member etcd on free loopback ports with a temporary data dir, ready to serve. */
export async function startEtcd(): Promise<EtcdProcess> {
  return retryWhileExitingEarly(async () => {
    const [port, peerPort] = (await freePorts(2)) as [number, number];
    const root = createTempDir('etcd');
    const etcd = new LocalEtcd(port, peerPort, root);
    try {
      await etcd.start();
    } catch (err) {
      removeTempDir(root);
      throw err;
    }
    return etcd;
  });
}

class LocalEtcd implements EtcdProcess {
  readonly endpoint: string;
  readonly dataDir: string;
  private readonly daemon: Daemon;

  constructor(
    readonly port: number,
    readonly peerPort: number,
    private readonly root: string,
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
    this.dataDir = join(root, 'data');
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    this.daemon = new Daemon({
      name: `etcd ${this.endpoint}`,
      command: ETCD_BIN,
      args: () => [
        '--name', 'rankd-test',
        '--data-dir', this.dataDir,
        '--listen-client-urls', this.endpoint,
        '--advertise-client-urls', this.endpoint,
        '--listen-peer-urls', peerUrl,
        '--initial-advertise-peer-urls', peerUrl,
        '--initial-cluster', `rankd-test=${peerUrl}`,
        '--initial-cluster-state', 'new',
        '--logger', 'zap',
        '--log-level', 'warn',
      ],
      env: environmentWithoutEtcdSettings(),
      ready: () => this.isHealthy(),
    });
  }

  get pid(): number {
    return this.daemon.pid;
  }

  get running(): boolean {
    return this.daemon.running;
  }

  async start(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    await this.daemon.start();
  }

  stop(): Promise<void> {
    return this.daemon.stop();
  }

  kill(): Promise<void> {
    return this.daemon.kill();
  }

  wipe(): void {
    if (this.daemon.running) throw new Error(`wipe() needs etcd stopped (pid ${this.pid} is running)`);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  async destroy(): Promise<void> {
    await this.daemon.stop();
    removeTempDir(this.root);
  }

  /** /health says true only once a leader is elected, i.e. when reads and writes work. */
  private async isHealthy(): Promise<boolean> {
    const response = await fetch(`${this.endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    if (!response.ok) return false;
    const body = (await response.json()) as { health?: unknown };
    return body.health === 'true' || body.health === true;
  }
}

/** ETCD_* variables in the developer's shell would silently reconfigure the test member. */
function environmentWithoutEtcdSettings(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ETCD_')));
}
