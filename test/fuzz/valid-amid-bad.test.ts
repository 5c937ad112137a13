import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdFixture, startRankdFixture } from '../support/rankd-fixture.js';
import { type FuzzRequest, fuzzRequest, fuzzRequestOf } from './support/bad-requests.js';
import { settle } from './support/call-outcome.js';
import { FUZZ_BUDGET, NETWORK_TEST_TIMEOUT_MS, networkFuzzParams } from './support/fuzz-budget.js';
import {
  expectServing,
  fixtureUnderTest,
  REFERENCE_REQUESTS,
  type ReferenceReplies,
  type ServerUnderTest,
  takeReferenceReplies,
} from './support/reference-requests.js';

/**
 * Valid requests are unaffected by bad ones around them: each case sends a
 * batch of bad requests of every kind with the reference requests mixed in
 * at random places, all at once, and every reference reply must equal the
 * one taken before any fuzzing (every bad one being answered as its oracle
 * says).
 */

let rankd: RankdFixture;
let server: ServerUnderTest;
let references: ReferenceReplies;

beforeAll(async () => {
  rankd = await startRankdFixture();
  server = fixtureUnderTest(rankd);
  references = await takeReferenceReplies(server);
});
afterAll(async () => {
  await rankd?.stop();
});

/** A reference request as one of the batch: its reply must be the reference reply. */
function referenceRequest(index: number): FuzzRequest {
  const r = REFERENCE_REQUESTS[index % REFERENCE_REQUESTS.length]!;
  return fuzzRequestOf(
    `reference: ${r.name}`,
    (s) => settle(r.send(s, 10_000)),
    (outcome) => {
      if (!outcome.ok) throw new Error(`reference ${r.name} failed amid bad requests: ${outcome.code} ${outcome.details}`);
      expect(outcome.value, r.name).toEqual(references.get(r.name));
    },
  );
}

describe('valid requests amid bad ones', () => {
  it('get the reference replies, while every bad one is refused as it must be', async () => {
    const property = 'valid replies amid bad requests';
    const size = FUZZ_BUDGET[property].perRun;
    const valid = REFERENCE_REQUESTS.length * 2;
    const limits = { maxCandidates: rankd.server.config.server.maxCandidates, maxMessageBytes: rankd.server.config.server.maxMessageBytes };
    const batch = fc
      .tuple(fc.array(fuzzRequest(limits), { minLength: size - valid, maxLength: size - valid }), fc.array(fc.nat(), { minLength: valid, maxLength: valid }))
      .map(([bad, places]) => {
        const all = [...bad];
        places.forEach((at, i) => all.splice(at % (all.length + 1), 0, referenceRequest(i)));
        return all;
      });
    await fc.assert(
      fc.asyncProperty(batch, async (all) => {
        const outcomes = await Promise.all(all.map((r) => r.send(server)));
        all.forEach((r, i) => r.check(outcomes[i]!));
        await expectServing(server, references);
      }),
      networkFuzzParams(property),
    );
  }, NETWORK_TEST_TIMEOUT_MS);
});
