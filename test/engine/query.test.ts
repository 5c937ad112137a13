import { readFileSync } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packed } from '../rpc/reference-proto.js';
import { type RankdFixture, startRankdFixture } from '../support/rankd-fixture.js';

let rankd: RankdFixture;
let weights: number[];
let blacklisted: string;

beforeAll(async () => {
  rankd = await startRankdFixture();
  weights = readFileSync(path.join(rankd.configDir, 'data', 'lr_weights.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map(Number);
  blacklisted = readFileSync(path.join(rankd.configDir, 'data', 'blacklist.txt'), 'utf8')
    .split('\n')
    .find((l) => /^\d+$/.test(l.trim()))!
    .trim();
});

afterAll(async () => {
  await rankd?.stop();
});

/** The LR formula of algorithms/lr.ts, written out independently. */
function lrScore(features: [number, number][]): number {
  let z = weights[0]!;
  for (const [id, v] of features) z += weights[1 + (id % (weights.length - 1))]! * Math.fround(v);
  return 1 / (1 + Math.exp(-z));
}

const candidates = [
  { itemId: 1001, featureIds: [3, 77, 5000], featureValues: [1, 0.5, 2] },
  { itemId: 1002, featureIds: [9, 16000], featureValues: [1, 1] },
  { itemId: 2n ** 64n - 2n, featureIds: [123456], featureValues: [0.25] },
];

async function expectStatus(p: Promise<unknown>, code: status, message: RegExp): Promise<void> {
  await expect(p).rejects.toMatchObject({ code, details: expect.stringMatching(message) });
}

describe('Rank', () => {
  it('scores candidates with the plan chain and returns them best first', async () => {
    const reply = await rankd.rank.rank({ userId: 12345, candidates, requestId: 'r-1' });
    expect(reply.plan).toBe('-1');
    expect(reply.algorithms).toEqual(['lr_main']);
    expect(reply.requestId).toBe('r-1');
    expect(Number(reply.generation)).toBeGreaterThanOrEqual(1);
    const expected = candidates
      .map((c) => ({ id: BigInt(c.itemId), score: lrScore(c.featureIds.map((f, j) => [f, c.featureValues[j]!])) }))
      .sort((a, b) => b.score - a.score);
    expect(reply.items.map((i) => BigInt(i.itemId))).toEqual(expected.map((e) => e.id));
    reply.items.forEach((item, k) => expect(item.score).toBeCloseTo(expected[k]!.score, 6));
  });

  it('drops blacklisted items and honours top_k', async () => {
    const reply = await rankd.rank.rank({
      userId: 7,
      candidates: [...candidates, { itemId: BigInt(blacklisted), featureIds: [1], featureValues: [1] }],
      topK: 2,
    });
    expect(reply.items).toHaveLength(2);
    expect(reply.items.map((i) => String(i.itemId))).not.toContain(blacklisted);
  });

  it('returns per-stage timings and per-algorithm scores when asked', async () => {
    const reply = await rankd.rank.rank({ userId: 1, candidates, wantTimings: true, explain: true });
    expect(reply.timings.map((t) => t.stage)).toEqual(expect.arrayContaining(['filter', 'score', 'select']));
    for (const item of reply.items) expect(item.algorithmScores).toEqual([item.score]);
  });
});

describe('Call', () => {
  it('echoes the body through the example work', async () => {
    const body = { api: 'example', nested: { list: [1, 'two', null] } };
    expect(await rankd.rank.call(body)).toEqual(body);
  });

  it('ranks JSON candidates through the rank work', async () => {
    const reply = (await rankd.rank.call({
      api: 'rank',
      uid: '12345',
      candidates: [
        { id: 1001, features: { '3': 1, '77': 0.5, '5000': 2 } },
        { id: '1002', features: { '9': 1, '16000': 1 } },
      ],
    })) as { plan: string; items: { id: string; score: number }[] };
    expect(reply.plan).toBe('-1');
    expect(reply.items.map((i) => i.id).sort()).toEqual(['1001', '1002']);
    expect(reply.items[0]!.score).toBeGreaterThanOrEqual(reply.items[1]!.score);
    const byId = Object.fromEntries(reply.items.map((i) => [i.id, i.score]));
    expect(byId['1001']).toBeCloseTo(lrScore([[3, 1], [77, 0.5], [5000, 2]]), 6);
  });
});

describe('bad input gets a clear status and the server keeps serving', () => {
  const encode = (msg: object) => packed.RankRequest.encode(packed.RankRequest.fromObject(msg)).finish();

  it('garbage bytes', async () => {
    await expectStatus(rankd.rank.rankBytes(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x07])), status.INVALID_ARGUMENT, /malformed RankRequest/);
  });

  it('unknown api, by Rank and by Call', async () => {
    await expectStatus(rankd.rank.rank({ api: 'nope', candidates }), status.NOT_FOUND, /unknown api "nope"/);
    await expectStatus(rankd.rank.call({ api: 'nope' }), status.NOT_FOUND, /unknown api "nope"/);
  });

  it('invalid JSON and JSON without api', async () => {
    await expectStatus(rankd.rank.call('{"api": "example",'), status.INVALID_ARGUMENT, /invalid JSON/);
    await expectStatus(rankd.rank.call({ uid: 1 }), status.INVALID_ARGUMENT, /"api"/);
    await expectStatus(rankd.rank.call('[1,2]'), status.INVALID_ARGUMENT, /"api"/);
  });

  it('parallel feature arrays of different lengths', async () => {
    const bytes = encode({ userId: 1, candidates: [{ itemId: 1, featureIds: [1, 2, 3], featureValues: [1, 2] }] });
    await expectStatus(rankd.rank.rankBytes(bytes), status.INVALID_ARGUMENT, /candidates\[0\] has 3 feature_ids but 2 feature_values/);
  });

  it('NaN and infinite feature values', async () => {
    const nan = encode({ userId: 1, candidates: [{ itemId: 1, featureIds: [1], featureValues: [Number.NaN] }] });
    await expectStatus(rankd.rank.rankBytes(nan), status.INVALID_ARGUMENT, /NaN|finite/);
    const inf = encode({ userId: 1, userFeatureIds: [4], userFeatureValues: [Number.POSITIVE_INFINITY] });
    await expectStatus(rankd.rank.rankBytes(inf), status.INVALID_ARGUMENT, /Infinity|finite/);
  });

  it('100,000 candidates', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ itemId: i + 1 }));
    await expectStatus(rankd.rank.rank({ userId: 1, candidates: many }), status.INVALID_ARGUMENT, /100000.*10000/);
  });

  it('a 16 MiB request', async () => {
    const big = Buffer.alloc(16 << 20);
    big[0] = 0x0a; // api = a 16 MiB string
    await expectStatus(rankd.rank.rankBytes(big), status.RESOURCE_EXHAUSTED, /larger than max|length/);
  });

  it('a user id above 2^64 − 1', async () => {
    const tooBig = Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]);
    await expectStatus(rankd.rank.rankBytes(tooBig), status.INVALID_ARGUMENT, /user_id/);
  });

  it('still answers a valid request afterwards', async () => {
    const reply = await rankd.rank.rank({ userId: 12345, candidates });
    expect(reply.items).toHaveLength(3);
  });
});
