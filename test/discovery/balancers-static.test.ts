import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RankdClient } from '../../src/client/index.js';
import { startTinyRankServer, type ServedBy, type TinyRankServer } from './support/tiny-rank-servers.js';

let servers: TinyRankServer[];

beforeAll(async () => {
  servers = await Promise.all([0, 0, 0].map(() => startTinyRankServer()));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

async function tally(client: RankdClient, calls: number, body: (i: number) => Record<string, unknown>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < calls; i++) {
    const reply = await client.call<ServedBy>({ api: 'who', ...body(i) });
    counts.set(reply.server, (counts.get(reply.server) ?? 0) + 1);
  }
  return counts;
}

describe('balancers over a static list', () => {
  it('round_robin takes turns', async () => {
    const client = createClient({ target: servers.map((s) => s.address).join(','), balancer: 'round_robin' });
    try {
      const counts = await tally(client, 300, () => ({}));
      expect([...counts.values()]).toEqual([100, 100, 100]);
    } finally {
      client.close();
    }
  });

  it('ring_hash sends a key to one server', async () => {
    const client = createClient({ target: servers.map((s) => s.address).join(','), balancer: 'ring_hash' });
    try {
      const first = new Map<string, string>();
      for (let round = 0; round < 3; round++) {
        for (let uid = 0; uid < 50; uid++) {
          const reply = await client.call<ServedBy>({ api: 'who', uid });
          if (round === 0) first.set(String(uid), reply.server);
          else expect(reply.server).toBe(first.get(String(uid)));
        }
      }
      expect(new Set(first.values()).size).toBe(3);
    } finally {
      client.close();
    }
  });

  it('p2c avoids a slow server', async () => {
    servers[0]!.delayMs = 30;
    const client = createClient({ target: servers.map((s) => s.address).join(','), balancer: 'p2c' });
    try {
      const counts = new Map<string, number>();
      await Promise.all(
        [0, 1, 2, 3].map(async () => {
          for (let i = 0; i < 100; i++) {
            const reply = await client.call<ServedBy>({ api: 'who' });
            counts.set(reply.server, (counts.get(reply.server) ?? 0) + 1);
          }
        }),
      );
      console.log(counts);
      expect(counts.get(servers[0]!.address) ?? 0).toBeLessThan(80);
    } finally {
      servers[0]!.delayMs = 0;
      client.close();
    }
  });
});
