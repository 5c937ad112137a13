import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BAD_REQUEST_DEADLINE_MS, expectRefusedWith, settle } from './support/call-outcome.js';
import { FUZZ_BUDGET, NETWORK_TEST_TIMEOUT_MS, networkFuzzParams } from './support/fuzz-budget.js';
import { mutatedRequest, randomBytes, refusedRankRequest } from './support/rank-mutations.js';
import { expectRankAnswer } from './support/rank-verdict.js';
import { expectServing, useFuzzedFixture } from './support/reference-requests.js';

/**
 * Rank over the network with random and mutated protobuf bytes, a batch of
 * requests at once per case, each with a deadline: every one is answered as
 * the decoder's verdict says (refused with its exact status and message, or
 * served with a reply consistent with the request), and after each batch the
 * server still gives the reference replies with all its pool threads.
 */

const fuzzed = useFuzzedFixture();
const maxCandidates = () => fuzzed.rankd.server.config.server.maxCandidates;

const send = (bytes: Uint8Array) => settle(fuzzed.rankd.rank.rankBytes(bytes, BAD_REQUEST_DEADLINE_MS));

/** Sends batches of `requests`; returns how many were served and refused. */
async function fuzzBatches(property: 'rank: random bytes' | 'rank: mutated valid requests', requests: fc.Arbitrary<Uint8Array>) {
  const count = { served: 0, refused: 0 };
  const batch = fc.array(requests, { minLength: FUZZ_BUDGET[property].perRun, maxLength: FUZZ_BUDGET[property].perRun });
  await fc.assert(
    fc.asyncProperty(batch, async (all) => {
      const outcomes = await Promise.all(all.map(send));
      all.forEach((bytes, i) => count[expectRankAnswer(outcomes[i]!, bytes, maxCandidates())]++);
      await expectServing(fuzzed.server, fuzzed.references);
    }),
    networkFuzzParams(property),
  );
  return count;
}

describe('Rank with bad bytes: answered as the decoder says, and the server keeps serving', () => {
  it('random bytes', async () => {
    const { refused } = await fuzzBatches('rank: random bytes', randomBytes);
    expect(refused).toBeGreaterThan(0);
  }, NETWORK_TEST_TIMEOUT_MS);

  it('valid requests with random byte changes', async () => {
    // Both sides: changes that keep a request valid (served, and checked) and changes that break it.
    const { served, refused } = await fuzzBatches('rank: mutated valid requests', mutatedRequest);
    expect(Math.min(served, refused)).toBeGreaterThan((served + refused) / 20);
  }, NETWORK_TEST_TIMEOUT_MS);

  it('valid requests with a field that must make them refused, with that status and message', async () => {
    const property = 'rank: mutations that must be refused';
    const batch = fc.array(refusedRankRequest(maxCandidates()), { minLength: FUZZ_BUDGET[property].perRun, maxLength: FUZZ_BUDGET[property].perRun });
    await fc.assert(
      fc.asyncProperty(batch, async (all) => {
        const outcomes = await Promise.all(all.map((r) => send(r.bytes)));
        all.forEach((r, i) => expectRefusedWith(outcomes[i]!, r.what, r.code, r.message));
        await expectServing(fuzzed.server, fuzzed.references);
      }),
      networkFuzzParams(property),
    );
  }, NETWORK_TEST_TIMEOUT_MS);
});
