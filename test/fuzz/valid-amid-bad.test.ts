import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FuzzRequest, fuzzRequest, fuzzRequestOf } from './support/bad-requests.js';
import { settle } from './support/call-outcome.js';
import { FUZZ_BUDGET, NETWORK_TEST_TIMEOUT_MS, networkFuzzParams } from './support/fuzz-budget.js';
import { expectServing, REFERENCE_REQUESTS, useFuzzedFixture } from './support/reference-requests.js';

/**
 * Valid requests are unaffected by bad ones around them: each case sends a
 * batch of bad requests of every kind with the reference requests mixed in
 * at random places, all at once, and every reference reply must equal the
 * one taken before any fuzzing (every bad one being answered as its oracle
 * says).
 */

const fuzzed = useFuzzedFixture();

/** A reference request as one of the batch: its reply must be the reference reply. */
function referenceRequest(index: number): FuzzRequest {
  const r = REFERENCE_REQUESTS[index % REFERENCE_REQUESTS.length]!;
  return fuzzRequestOf(
    `reference: ${r.name}`,
    (s) => settle(r.send(s, 10_000)),
    (outcome) => {
      if (!outcome.ok) throw new Error(`reference ${r.name} failed amid bad requests: ${outcome.code} ${outcome.details}`);
      expect(outcome.value, r.name).toEqual(fuzzed.references.get(r.name));
    },
  );
}

describe('valid requests amid bad ones', () => {
  it('get the reference replies, while every bad one is refused as it must be', async () => {
    const property = 'valid replies amid bad requests';
    const size = FUZZ_BUDGET[property].perRun;
    const valid = REFERENCE_REQUESTS.length * 2;
    const limits = { maxCandidates: fuzzed.rankd.server.config.server.maxCandidates, maxMessageBytes: fuzzed.rankd.server.config.server.maxMessageBytes };
    const batch = fc
      .tuple(fc.array(fuzzRequest(limits), { minLength: size - valid, maxLength: size - valid }), fc.array(fc.nat(), { minLength: valid, maxLength: valid }))
      .map(([bad, places]) => {
        const all = [...bad];
        places.forEach((at, i) => all.splice(at % (all.length + 1), 0, referenceRequest(i)));
        return all;
      });
    await fc.assert(
      fc.asyncProperty(batch, async (all) => {
        const outcomes = await Promise.all(all.map((r) => r.send(fuzzed.server)));
        all.forEach((r, i) => r.check(outcomes[i]!));
        await expectServing(fuzzed.server, fuzzed.references);
      }),
      networkFuzzParams(property),
    );
  }, NETWORK_TEST_TIMEOUT_MS);
});
