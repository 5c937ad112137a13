import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Daemon, retryWhileExitingEarly } from './daemon.js';
import { freePorts } from './free-port.js';
import { tcpExchange } from './tcp-exchange.js';
import { createTempDir, removeTempDir } from './temp-dir.js';
import { waitUntil } from './wait-until.js';

const REDIS_SERVER_BIN = '/usr/bin/redis-server';
const REDIS_CLI_BIN = '/usr/bin/redis-cli';

export interface RedisOptions {
  /** Extra redis.conf directives, e.g. `{ requirepass: 'secret', maxmemory: '16mb' }`. */
  config?: Record<string, string>;
}

export interface RedisProcess {
  readonly host: string;
  readonly port: number;
  /** Working dir (no persistence: it holds only redis.conf, and nodes.conf in a cluster). */
  readonly dir: string;
  /** PID of the running server, or of the last one after a stop. */
  readonly pid: number;
  readonly running: boolean;
  /** Starts again on the same port and dir; a standalone server comes back empty. */
  start(): Promise<void>;
  /** SIGTERM (SIGKILL after a deadline). */
  stop(): Promise<void>;
  /** SIGKILL, as in a crash. */
  kill(): Promise<void>;
  /** Stops and removes the dir for good (also done at process exit). */
  destroy(): Promise<void>;
}

export interface RedisCluster {
  readonly nodes: readonly RedisProcess[];
  /** Seeds for `new Redis.Cluster(startupNodes)`. */
  readonly startupNodes: readonly { host: string; port: number }[];
  /** Stops every node (each stays restartable with its cluster identity). */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

/** A standalone redis-server on a free loopback port, without persistence. */
export function startRedis(options: RedisOptions = {}): Promise<RedisProcess> {
  return retryWhileExitingEarly(async () => {
    const [port] = (await freePorts(1)) as [number];
    return startNode(port, options.config ?? {});
  });
}

/**
 * `masters` cluster-enabled servers joined by `redis-cli --cluster create`
 * (no replicas), ready when every node reports cluster_state:ok.
 */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  if (masters < 3) throw new Error('redis-cli --cluster create needs at least 3 masters');
  const nodes = await retryWhileExitingEarly(async () => {
    const ports = await freePorts(masters * 2);
    const started: RedisProcess[] = [];
    try {
      for (let i = 0; i < masters; i++) {
        const [port, busPort] = [ports[2 * i]!, ports[2 * i + 1]!];
        started.push(
          await startNode(port, {
            'cluster-enabled': 'yes',
            'cluster-config-file': 'nodes.conf',
            'cluster-node-timeout': '2000',
            // The default bus port (port + 10000) may be taken or beyond 65535.
            'cluster-port': String(busPort),
          }),
        );
      }
    } catch (err) {
      await Promise.all(started.map((node) => node.destroy()));
      throw err;
    }
    return started;
  });
  const cluster: RedisCluster = {
    nodes,
    startupNodes: nodes.map(({ host, port }) => ({ host, port })),
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
    },
    destroy: async () => {
      await Promise.all(nodes.map((node) => node.destroy()));
    },
  };
  try {
    await promisify(execFile)(
      REDIS_CLI_BIN,
      ['--cluster', 'create', ...nodes.map((node) => `${node.host}:${node.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { timeout: 30_000 },
    );
    await Promise.all(
      nodes.map((node) =>
        waitUntil(`redis cluster node ${node.port} cluster_state:ok`, async () =>
          (await redisInlineCommand(node.port, 'CLUSTER INFO')).includes('cluster_state:ok'),
        ),
      ),
    );
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
  return cluster;
}

async function startNode(port: number, config: Record<string, string>): Promise<RedisProcess> {
  const dir = createTempDir('redis');
  const node = new LocalRedis(port, dir, config);
  try {
    await node.start();
  } catch (err) {
    removeTempDir(dir);
    throw err;
  }
  return node;
}

class LocalRedis implements RedisProcess {
  readonly host = '127.0.0.1';
  private readonly daemon: Daemon;
  private readonly configFile: string;

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly extraConfig: Record<string, string>,
  ) {
    this.configFile = join(dir, 'redis.conf');
    this.daemon = new Daemon({
      name: `redis-server 127.0.0.1:${port}`,
      command: REDIS_SERVER_BIN,
      args: () => [this.configFile],
      ready: async () => {
        // NOAUTH also proves the server is up and serving (requirepass set).
        const reply = await redisInlineCommand(port, 'PING');
        return reply.startsWith('+PONG') || reply.startsWith('-NOAUTH');
      },
    });
  }

  get pid(): number {
    return this.daemon.pid;
  }

  get running(): boolean {
    return this.daemon.running;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const settings: Record<string, string> = {
      port: String(this.port),
      bind: '127.0.0.1',
      'protected-mode': 'yes',
      save: '""',
      appendonly: 'no',
      dir: this.dir,
      daemonize: 'no',
      logfile: '""',
      ...this.extraConfig,
    };
    writeFileSync(this.configFile, Object.entries(settings).map(([key, value]) => `${key} ${value}\n`).join(''));
    await this.daemon.start();
  }

  stop(): Promise<void> {
    return this.daemon.stop();
  }

  kill(): Promise<void> {
    return this.daemon.kill();
  }

  async destroy(): Promise<void> {
    await this.daemon.stop();
    removeTempDir(this.dir);
  }
}

/** One inline command over a raw socket; resolves with the whole first reply. */
async function redisInlineCommand(port: number, command: string): Promise<string> {
  return tcpExchange({ port, send: `${command}\r\n`, complete: isCompleteReply });
}

/** Enough RESP to recognise a complete simple, error, integer or bulk reply. */
function isCompleteReply(reply: string): boolean {
  const lineEnd = reply.indexOf('\r\n');
  if (lineEnd < 0) return false;
  if (reply[0] !== '$') return true;
  const length = Number(reply.slice(1, lineEnd));
  return length < 0 || Buffer.byteLength(reply, 'utf8') >= lineEnd + 2 + length + 2;
}
