import { expect } from 'vitest';
import type { RankdChild } from '../../support/rankd-child.js';
import { waitUntil } from '../../support/wait-until.js';
import { CallLoop } from './call-loop.js';

/** One answered call of the load. */
export interface Answer {
  api: 'probe' | 'example' | 'rank';
  /** The pool thread that answered (probe only). */
  threadId?: number;
  /** Generation of the tables it read (probe and rank). */
  generation?: number;
  /** Local time of the answer. */
  at: number;
}

const candidates = [{ itemId: 42, featureIds: [3], featureValues: [1] }];

/**
 * Three callers without pause, one per api the fault does not touch: probe
 * (reports its thread and generation), example (echo, checked) and Rank.
 */
export function loadOnOtherApis(rankd: RankdChild, probeHoldMs = 5): CallLoop<Answer> {
  return new CallLoop<Answer>(3, async (caller) => {
    if (caller === 0) {
      const reply = (await rankd.rank.call({ api: 'probe', hold_ms: probeHoldMs })) as { threadId: number; generation: number };
      return { api: 'probe', threadId: reply.threadId, generation: reply.generation, at: Date.now() };
    }
    if (caller === 1) {
      expect(await rankd.rank.call({ api: 'example', n: caller })).toEqual({ api: 'example', n: caller });
      return { api: 'example', at: Date.now() };
    }
    const reply = await rankd.rank.rank({ userId: 12345, candidates });
    expect(reply.items).toHaveLength(1);
    return { api: 'rank', generation: Number(reply.generation), at: Date.now() };
  }).start();
}

/** Resolves once the load has `count` answers (or a failure: the test reports those). */
export async function answers(load: CallLoop<Answer>, count: number): Promise<void> {
  await waitUntil(`${count} answers`, () => load.replies.length >= count || load.failures.length > 0, { timeoutMs: 30_000 });
}

/** Thread ids that answered probe calls. */
export function probeThreads(replies: readonly Answer[]): Set<number> {
  return new Set(replies.flatMap((r) => (r.threadId === undefined ? [] : [r.threadId])));
}

/** Failures as readable lines, for toEqual([]). */
export function failureLines(load: CallLoop<Answer>): string[] {
  return load.failures.map((f) => `caller ${f.caller}: ${f.error.message}`);
}
