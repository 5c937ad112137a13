import { afterAll, beforeAll, expect } from 'vitest';
import type { RankRequestInput } from '../../../src/rpc/rank-request.js';
import type { controlClient, rankClient } from '../../support/rankd-client.js';
import { type RankdFixture, startRankdFixture } from '../../support/rankd-fixture.js';

/**
 * Valid requests whose replies are taken once, before any fuzzing, and
 * must come back the same after (and amid) bad requests: Rank for users of
 * each plan (LR by default, the FM in buckets 5–6, the trees in 7–8), Rank
 * with per-algorithm scores, and Call for the rank and example works.
 */
const candidates = [
  { itemId: 1001, featureIds: [3, 77, 5000], featureValues: [1, 0.5, 2] },
  { itemId: 1002, featureIds: [9, 16000], featureValues: [1, 1] },
  { itemId: 2n ** 64n - 2n, featureIds: [123456], featureValues: [0.25] },
  { itemId: 77, featureIds: [], featureValues: [] },
];

const rankRequests: [string, RankRequestInput][] = [
  ['Rank, default plan (lr)', { userId: 12345, candidates, requestId: 'ref-lr' }],
  ['Rank, bucket 5 (fm)', { userId: 50, candidates, requestId: 'ref-fm', userFeatureIds: [7], userFeatureValues: [1] }],
  ['Rank, bucket 7 (gbdt)', { userId: 2n ** 64n - 30n, candidates, requestId: 'ref-gbdt', topK: 2, explain: true }],
];

const callBodies: [string, object][] = [
  ['Call rank', { api: 'rank', uid: '12345', request_id: 'ref-call', candidates: [{ id: 1001, features: { '3': 1, '77': 0.5 } }, { id: '1002' }] }],
  ['Call example', { api: 'example', nested: { list: [1, 'two', null], n: 1.5 } }],
];

/** A server under test: in this process (a fixture) or another (a daemon); `threads` its pool size. */
export interface ServerUnderTest {
  rank: ReturnType<typeof rankClient>;
  control: ReturnType<typeof controlClient>;
  threads: number;
}

export function fixtureUnderTest(rankd: RankdFixture): ServerUnderTest {
  return { rank: rankd.rank, control: rankd.control, threads: rankd.server.config.pool.threads };
}

/** A fuzz file's server: a fixture started before its tests, with the reference replies taken, and stopped after. */
export interface FuzzedFixture {
  rankd: RankdFixture;
  server: ServerUnderTest;
  references: ReferenceReplies;
}

/** Registers the hooks that start and stop a fuzz file's fixture; its fields are set once the tests run. */
export function useFuzzedFixture(): FuzzedFixture {
  const fixture = {} as FuzzedFixture;
  beforeAll(async () => {
    fixture.rankd = await startRankdFixture();
    fixture.server = fixtureUnderTest(fixture.rankd);
    fixture.references = await takeReferenceReplies(fixture.server);
  });
  afterAll(async () => {
    await fixture.rankd?.stop();
  });
  return fixture;
}

export interface ReferenceRequest {
  name: string;
  send(server: ServerUnderTest, deadlineMs?: number): Promise<unknown>;
}

export const REFERENCE_REQUESTS: ReferenceRequest[] = [
  ...rankRequests.map(([name, input]) => ({ name, send: (s: ServerUnderTest, d?: number) => s.rank.rank(input, d) })),
  ...callBodies.map(([name, body]) => ({ name, send: (s: ServerUnderTest, d?: number) => s.rank.call(body, d) })),
];

/** The reference replies, by request name. */
export type ReferenceReplies = Map<string, unknown>;

export async function takeReferenceReplies(server: ServerUnderTest): Promise<ReferenceReplies> {
  const replies = new Map<string, unknown>();
  for (const r of REFERENCE_REQUESTS) replies.set(r.name, await r.send(server));
  return replies;
}

/** The server still answers: every reference request gets its reference reply, and every pool thread is up. */
export async function expectServing(server: ServerUnderTest, references: ReferenceReplies): Promise<void> {
  const replies = await Promise.all(REFERENCE_REQUESTS.map((r) => r.send(server)));
  REFERENCE_REQUESTS.forEach((r, i) => expect(replies[i], r.name).toEqual(references.get(r.name)));
  const s = await server.control.status();
  expect(s.threads).toBe(server.threads);
}
