import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/index.js';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';
import { startRankdProcess, type RankdProcess } from './support/rankd-process.js';

const TTL_S = 2;
let etcd: EtcdProcess;
let server: RankdProcess | undefined;

beforeAll(async () => {
  etcd = await startEtcd();
  await etcd.stop();
});

afterAll(async () => {
  await server?.destroy();
  await etcd?.destroy();
});

describe('a server whose etcd is down when it starts', () => {
  it('serves at once, and registers when etcd comes back', async () => {
    server = await startRankdProcess({ etcd: etcd.endpoint, service: { prefix: 'etcd', env: 'no-etcd', service: 'rankd' }, ttlS: TTL_S });
    const direct = createClient({ target: server.address });
    try {
      expect(await direct.call({ api: 'probe' })).toMatchObject({ server: server.address });
    } finally {
      direct.close();
    }
    await waitUntil('a failed registration logged', () => /etcd registration failed; registering again|etcd lease lost; registering again/.test(server!.output));

    await etcd.start();
    const restarted = Date.now();
    const observer = connectEtcd(etcd.endpoint);
    try {
      await waitUntil('registered', async () => (await observer.get(server!.key).string()) ?? undefined, { timeoutMs: (TTL_S + 2) * 1000 });
    } finally {
      observer.close();
    }
    expect(Date.now() - restarted).toBeLessThanOrEqual((TTL_S + 2) * 1000);
    await waitUntil('the registration logged', () => server!.output.includes('"msg":"registered in etcd"'));
  });
});
