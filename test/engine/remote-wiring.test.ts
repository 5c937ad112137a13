import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdFixture, startRankdFixture } from '../support/rankd-fixture.js';
import { type RedisProcess, startRedis } from '../support/redis.js';
import { waitUntil } from '../support/wait-until.js';

let redis: RedisProcess;
let rankd: RankdFixture;
let weights: number[];

const dbConfig = (port: number, required: boolean, timeoutMs = 200) =>
  ['[DB_INFO]', 'DBS_NAME = item_features', '', '[item_features]', 'type = redis', `servers = 127.0.0.1:${port}`,
   `timeout_ms = ${timeoutMs}`, 'value = json', `required = ${required}`, 'key_prefix = feat:', ''].join('\n');

beforeAll(async () => {
  redis = await startRedis();
  const client = new Redis({ host: '127.0.0.1', port: redis.port });
  await client.set('feat:1001', JSON.stringify({ '5000': 2 }));
  client.disconnect();
  rankd = await startRankdFixture(
    () => {},
    (configDir) => {
      writeFileSync(path.join(configDir, 'db_config.ini'), dbConfig(redis.port, false));
      const ini = path.join(configDir, 'work_config.ini');
      writeFileSync(ini, readFileSync(ini, 'utf8').replace('; item_features = item_features', 'item_features = item_features'));
    },
  );
  weights = readFileSync(path.join(rankd.configDir, 'data', 'lr_weights.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map(Number);
});

afterAll(async () => {
  await rankd?.stop();
  await redis?.destroy();
});

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const row = (f: number) => weights[1 + (f % (weights.length - 1))]!;
const candidates = [{ itemId: 1001 }, { itemId: 1002 }];
const scores = async () => {
  const reply = await rankd.rank.rank({ userId: 12345, candidates });
  return Object.fromEntries(reply.items.map((i) => [String(i.itemId), i.score]));
};

describe('ctx.remote in the rank work', () => {
  it('adds item features read from Redis', async () => {
    const s = await scores();
    expect(s['1001']).toBeCloseTo(sigmoid(weights[0]! + row(5000) * 2), 6);
    expect(s['1002']).toBeCloseTo(sigmoid(weights[0]!), 6);
  });

  it('goes on without the features when an optional source is down', async () => {
    await redis.stop();
    try {
      const s = await scores();
      expect(s['1001']).toBeCloseTo(sigmoid(weights[0]!), 6);
    } finally {
      await redis.start();
    }
  });

  it('fails the call naming the source when a required source is down, after UpdateDb made it required', async () => {
    writeFileSync(path.join(rankd.configDir, 'db_config.ini'), dbConfig(redis.port, true));
    const reply = await rankd.control.updateDb();
    expect(reply.changed).toEqual(['source item_features: new clients']);
    await redis.stop();
    try {
      await expect(rankd.rank.rank({ userId: 12345, candidates })).rejects.toMatchObject({
        code: expect.toSatisfy((c: number) => c === status.UNAVAILABLE || c === status.DEADLINE_EXCEEDED),
        details: expect.stringMatching(/remote source "item_features"/),
      });
    } finally {
      await redis.start();
    }
    const client = new Redis({ host: '127.0.0.1', port: redis.port });
    await client.set('feat:1001', JSON.stringify({ '5000': 2 }));
    client.disconnect();
  });

  it('UpdateDb under load: 0 failed calls, unchanged sources keep their clients', async () => {
    // The clients reconnect to the restarted Redis in the background; load starts once they have.
    await waitUntil('the remote source to be back', async () => (await scores())['1001']! > 0);
    let running = true;
    const failures: unknown[] = [];
    let calls = 0;
    const loops = Array.from({ length: 4 }, async () => {
      while (running) {
        try {
          const s = await scores();
          if (!(s['1001']! > 0)) throw new Error('no score');
          calls++;
        } catch (e) {
          failures.push(e);
        }
      }
    });
    const replies = [];
    for (let i = 0; i < 6; i++) {
      writeFileSync(path.join(rankd.configDir, 'db_config.ini'), dbConfig(redis.port, true, 200 + (i % 2) * 100));
      replies.push(await rankd.control.updateDb());
    }
    replies.push(await rankd.control.updateDb());
    running = false;
    await Promise.all(loops);
    expect(failures.map(String)).toEqual([]);
    expect(calls).toBeGreaterThan(0);
    expect(replies.at(-1)!.changed).toEqual(['source item_features: unchanged, clients kept']);
  });
});
