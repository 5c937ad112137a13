import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlAddress, createClient, listServers } from '../../src/client/index.js';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { serviceFolder } from '../../src/discovery/service-key.js';
import { packageRoot } from '../../src/package-root.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';
import { startRankdProcess, type RankdProcess } from './support/rankd-process.js';

const run = promisify(execFile);
const service = { prefix: 'etcd', env: 'rr-test', service: 'rankd' };
const target = `etcd:///${service.prefix}/${service.env}/${service.service}`;

let etcd: EtcdProcess;
let observer: Etcd3;
let servers: RankdProcess[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
  observer = connectEtcd(etcd.endpoint);
  servers = await Promise.all([1, 2, 3].map(() => startRankdProcess({ etcd: etcd.endpoint, service })));
  await waitUntil('3 servers registered', async () => (await observer.getAll().prefix(serviceFolder(service)).keys()).length === 3);
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.destroy()));
  observer?.close();
  await etcd?.destroy();
});

describe('three registered servers', () => {
  it('share 300 round-robin calls within ±15 %', async () => {
    const client = createClient({ target, etcd: etcd.endpoint, balancer: 'round_robin' });
    try {
      // Until all three connections are up, calls go to those that are.
      await waitUntil('every server reached', async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 6; i++) seen.add((await client.call<{ server: string }>({ api: 'probe' })).server);
        return seen.size === 3;
      });
      const counts = new Map<string, number>();
      for (let i = 0; i < 300; i++) {
        const { server } = await client.call<{ server: string }>({ api: 'probe' });
        counts.set(server, (counts.get(server) ?? 0) + 1);
      }
      expect([...counts.keys()].sort()).toEqual(servers.map((server) => server.address).sort());
      for (const count of counts.values()) expect(Math.abs(count - 100)).toBeLessThanOrEqual(15);
    } finally {
      client.close();
    }
  });

  it('are listed by rankd discover with their metadata', async () => {
    const { stdout } = await run(process.execPath, [path.join(packageRoot, 'bin/rankd.js'), 'discover', '--etcd', etcd.endpoint, '--env', service.env, '--json']);
    const listed = JSON.parse(stdout) as { address: string; metadata: Record<string, unknown> }[];
    expect(listed.map((server) => server.address)).toEqual(servers.map((server) => server.address).sort());
    for (const { metadata } of listed) {
      expect(metadata).toMatchObject({ version: expect.any(String), weight: 1, zone: 'test-zone', controlPort: expect.any(Number) });
      expect(Date.parse(metadata.startTime as string)).toBeGreaterThan(Date.now() - 120_000);
    }
    const table = await run(process.execPath, [path.join(packageRoot, 'bin/rankd.js'), 'discover', '--etcd', etcd.endpoint, '--env', service.env]);
    expect(table.stdout.split('\n')[0]).toMatch(/^ADDRESS\s+VERSION\s+WEIGHT\s+ZONE\s+STARTED\s+CONTROL_PORT$/);
    expect(table.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('can be controlled one by one at the control port their registration names', async () => {
    const client = createClient({ target, etcd: etcd.endpoint });
    try {
      for (const server of await listServers({ etcd: etcd.endpoint, env: service.env })) {
        const control = client.control(controlAddress(server)!, 'test-token');
        try {
          expect(await control.status()).toMatchObject({ version: server.metadata.version, works: expect.arrayContaining(['probe']) });
        } finally {
          control.close();
        }
      }
    } finally {
      client.close();
    }
  });

  it('answer rankd call through the etcd target', async () => {
    const { stdout } = await run(process.execPath, [
      path.join(packageRoot, 'bin/rankd.js'), 'call', '--target', target, '--etcd', etcd.endpoint, '--api', 'example', '--json', '{"hello":"world"}',
    ]);
    expect(JSON.parse(stdout)).toEqual({ api: 'example', hello: 'world' });
  });
});
