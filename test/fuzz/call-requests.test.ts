import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyBody, nearJson, notAnObject, rankBody } from './support/call-bodies.js';
import { BAD_REQUEST_DEADLINE_MS, settle } from './support/call-outcome.js';
import { expectCallAnswer } from './support/call-verdict.js';
import { FUZZ_BUDGET, NETWORK_TEST_TIMEOUT_MS, networkFuzzParams } from './support/fuzz-budget.js';
import { expectServing, useFuzzedFixture } from './support/reference-requests.js';

/**
 * Call over the network with random JSON text, a batch at once per case,
 * each with a deadline: every body is answered as the oracle of the JSON
 * request shape says (refused with the status it names and a message naming
 * the bad field, echoed, or ranked with a reply consistent with the body),
 * and after each batch the server still gives the reference replies.
 */

const fuzzed = useFuzzedFixture();

async function fuzzBatches(property: 'call: random text' | 'call: random JSON bodies', texts: fc.Arbitrary<string>) {
  const count = { served: 0, refused: 0 };
  const batch = fc.array(texts, { minLength: FUZZ_BUDGET[property].perRun, maxLength: FUZZ_BUDGET[property].perRun });
  await fc.assert(
    fc.asyncProperty(batch, async (all) => {
      const outcomes = await Promise.all(all.map((text) => settle(fuzzed.rankd.rank.call(text, BAD_REQUEST_DEADLINE_MS))));
      all.forEach((text, i) => count[expectCallAnswer(outcomes[i]!, text)]++);
      await expectServing(fuzzed.server, fuzzed.references);
    }),
    networkFuzzParams(property),
  );
  return count;
}

describe('Call with random JSON: answered as the request shape says, and the server keeps serving', () => {
  it('text that is not JSON or not an object, and JSON damaged a character at a time', async () => {
    const { refused } = await fuzzBatches('call: random text', fc.oneof(notAnObject, nearJson(anyBody), nearJson(rankBody)));
    expect(refused).toBeGreaterThan(0);
  }, NETWORK_TEST_TIMEOUT_MS);

  it('objects with any api and rank bodies with every field valid or not', async () => {
    const { served, refused } = await fuzzBatches('call: random JSON bodies', fc.oneof({ weight: 3, arbitrary: rankBody }, { weight: 1, arbitrary: anyBody }));
    expect(Math.min(served, refused)).toBeGreaterThan((served + refused) / 20);
  }, NETWORK_TEST_TIMEOUT_MS);
});
