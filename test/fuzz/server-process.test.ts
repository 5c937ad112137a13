import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRequest } from './support/bad-requests.js';
import { FUZZ_BUDGET, NETWORK_TEST_TIMEOUT_MS, networkFuzzParams } from './support/fuzz-budget.js';
import { type RankdDaemon, startRankdDaemon } from './support/rankd-daemon.js';
import { expectServing, type ReferenceReplies, takeReferenceReplies } from './support/reference-requests.js';

/**
 * A real `rankd serve` process takes batches of bad requests of every kind
 * and is still running after each, answering the reference requests as
 * before. (In-process tests see the same answers, but an error nobody
 * catches only ends a real process: one Call of "😀" used to.)
 */

let rankd: RankdDaemon;
let references: ReferenceReplies;

beforeAll(async () => {
  rankd = await startRankdDaemon();
  references = await takeReferenceReplies(rankd);
}, 60_000);
afterAll(async () => {
  await rankd?.destroy();
});

describe('a rankd process', () => {
  it('answers batches of bad requests and is alive and serving after each', async () => {
    const property = 'server process: alive after batches of bad requests';
    const size = FUZZ_BUDGET[property].perRun;
    // The shipped config's limits (the process reads them itself).
    const batch = fc.array(fuzzRequest({ maxCandidates: 10_000, maxMessageBytes: 4 * 1024 * 1024 }), { minLength: size, maxLength: size });
    await fc.assert(
      fc.asyncProperty(batch, async (all) => {
        const outcomes = await Promise.all(all.map((r) => r.send(rankd)));
        expect(rankd.alive(), `rankd (pid ${rankd.pid}) died:\n${rankd.output}`).toBe(true);
        all.forEach((r, i) => r.check(outcomes[i]!));
        await expectServing(rankd, references);
      }),
      // Once the process is dead every batch fails: shrinking would only find smaller batches that also "fail".
      { ...networkFuzzParams(property), endOnFailure: true },
    );
  }, NETWORK_TEST_TIMEOUT_MS);
});
