import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startEtcd } from './etcd.js';
import { freePort, freePorts } from './free-port.js';
import { startMemcached } from './memcached.js';
import { isProcessAlive } from './process-alive.js';
import { startRedis, startRedisCluster } from './redis.js';
import { tcpExchange } from './tcp-exchange.js';
import { waitUntil } from './wait-until.js';

describe('freePort', () => {
  it('gives loopback ports nobody listens on, distinct within one call', async () => {
    const ports = await freePorts(4);
    expect(new Set(ports).size).toBe(4);
    for (const port of [...ports, await freePort()]) {
      expect(port).toBeGreaterThan(0);
      await expect(tcpExchange({ port, send: '', complete: () => true })).rejects.toThrow(/ECONNREFUSED/);
    }
  });
});

describe('startEtcd', () => {
  it('serves puts and gets, keeps data across stop/start on the same port, loses it after wipe', async () => {
    const etcd = await startEtcd();
    try {
      expect(etcd.endpoint).toBe(`http://127.0.0.1:${etcd.port}`);
      expect(etcd.peerPort).not.toBe(etcd.port);
      expect(isProcessAlive(etcd.pid)).toBe(true);

      await withEtcdClient(etcd.endpoint, async (client) => {
        await client.put('/rankd/smoke').value('one');
      });
      expect(await withEtcdClient(etcd.endpoint, (client) => client.get('/rankd/smoke').string())).toBe('one');

      const firstPid = etcd.pid;
      await etcd.stop();
      expect(isProcessAlive(firstPid)).toBe(false);
      expect(etcd.running).toBe(false);

      await etcd.start();
      expect(etcd.pid).not.toBe(firstPid);
      expect(await withEtcdClient(etcd.endpoint, (client) => client.get('/rankd/smoke').string())).toBe('one');

      expect(() => etcd.wipe()).toThrow(/stopped/);
      await etcd.kill();
      etcd.wipe();
      expect(existsSync(etcd.dataDir)).toBe(false);
      await etcd.start();
      expect(await withEtcdClient(etcd.endpoint, (client) => client.get('/rankd/smoke').string())).toBeNull();
    } finally {
      await etcd.destroy();
    }
    expect(isProcessAlive(etcd.pid)).toBe(false);
    expect(existsSync(etcd.dataDir)).toBe(false);
  });
});

describe('startRedis', () => {
  it('serves set/get, stops by PID and restarts empty on the same port', async () => {
    const redis = await startRedis();
    try {
      await withRedisClient(redis.port, async (client) => {
        await client.set('smoke', 'value');
        expect(await client.get('smoke')).toBe('value');
        // No persistence: the server writes no dump on shutdown.
        expect(await client.config('GET', 'save')).toEqual(['save', '']);
        expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      });
      const firstPid = redis.pid;
      await redis.stop();
      expect(isProcessAlive(firstPid)).toBe(false);

      await redis.start();
      await withRedisClient(redis.port, async (client) => expect(await client.get('smoke')).toBeNull());
    } finally {
      await redis.destroy();
    }
    expect(isProcessAlive(redis.pid)).toBe(false);
    expect(existsSync(redis.dir)).toBe(false);
  });

  it('applies extra config directives', async () => {
    const redis = await startRedis({ config: { requirepass: 'sesame' } });
    try {
      await withRedisClient(redis.port, async (client) => {
        await expect(client.get('x')).rejects.toThrow(/NOAUTH/);
      }, { enableReadyCheck: false });
      await withRedisClient(redis.port, async (client) => {
        expect(await client.get('x')).toBeNull();
      }, { password: 'sesame' });
    } finally {
      await redis.destroy();
    }
  });
});

describe('startRedisCluster', () => {
  it('joins three masters that together serve every slot', async () => {
    const cluster = await startRedisCluster();
    try {
      expect(cluster.nodes).toHaveLength(3);
      const client = new Cluster([...cluster.startupNodes], { redisOptions: { maxRetriesPerRequest: 1 } });
      try {
        // Keys spread over the slots of all three masters.
        const keys = Array.from({ length: 30 }, (_, i) => `smoke:${i}`);
        for (const key of keys) await client.set(key, key.toUpperCase());
        for (const key of keys) expect(await client.get(key)).toBe(key.toUpperCase());
        expect(client.nodes('master')).toHaveLength(3);
      } finally {
        client.disconnect();
      }
      const pids = cluster.nodes.map((node) => node.pid);
      await cluster.stop();
      for (const pid of pids) expect(isProcessAlive(pid)).toBe(false);
    } finally {
      await cluster.destroy();
    }
  });
});

describe('startMemcached', () => {
  it('serves set/get over the text protocol and stops by PID', async () => {
    const memcached = await startMemcached();
    try {
      const stored = await tcpExchange({
        port: memcached.port,
        send: 'set smoke 0 0 5\r\nhello\r\n',
        complete: (reply) => reply.endsWith('\r\n'),
      });
      expect(stored).toBe('STORED\r\n');
      const value = await tcpExchange({
        port: memcached.port,
        send: 'get smoke\r\n',
        complete: (reply) => reply.endsWith('END\r\n'),
      });
      expect(value).toBe('VALUE smoke 0 5\r\nhello\r\nEND\r\n');

      const firstPid = memcached.pid;
      await memcached.stop();
      expect(isProcessAlive(firstPid)).toBe(false);
      await memcached.start();
      expect(isProcessAlive(memcached.pid)).toBe(true);
    } finally {
      await memcached.destroy();
    }
    expect(isProcessAlive(memcached.pid)).toBe(false);
  });
});

async function withEtcdClient<T>(endpoint: string, use: (client: Etcd3) => Promise<T>): Promise<T> {
  const client = new Etcd3({ hosts: endpoint });
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

async function withRedisClient(
  port: number,
  use: (client: Redis) => Promise<void>,
  options: RedisOptions = {},
): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, ...options });
  try {
    await use(client);
  } finally {
    client.disconnect();
  }
}

describe('exit cleanup', () => {
  // The fixture runs from the build in dist/ (global-setup compiles it): a plain Node process, as a crashed test would be.
  const fixture = fileURLToPath(new URL('../../dist/test/support/fixtures/exit-with-daemons.js', import.meta.url));

  for (const how of ['throw', 'signal'] as const) {
    it(`kills daemons and removes temp dirs when the process dies (${how})`, async () => {
      const child = spawn(process.execPath, [fixture, how], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise((resolve) => child.once('exit', resolve));

      const report = await waitUntil('fixture report', () => {
        if (child.exitCode !== null && !stdout.includes('\n')) throw new Error(`fixture exited: ${stderr}`);
        return stdout.includes('\n') ? (JSON.parse(stdout) as { pids: number[]; dirs: string[] }) : undefined;
      });
      for (const pid of report.pids) expect(isProcessAlive(pid)).toBe(true);
      if (how === 'signal') child.kill('SIGTERM');
      else child.stdin.write('crash now\n');
      await exited;

      // The daemons are no children of this process, so nobody reaps them at once: poll.
      await waitUntil('daemons gone', () => report.pids.every((pid) => !isProcessAlive(pid)), { timeoutMs: 5000 });
      for (const dir of report.dirs) expect(existsSync(dir)).toBe(false);
    });
  }
});
