/**
 * A runaway work: loops forever and never yields, so only terminating its
 * thread stops it. With "mark": <file> it first writes its thread id there,
 * so a test knows which thread it took.
 */
import { writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import type { Work } from '../../../src/pool/work.js';

const spin: Work = {
  call(body): never {
    if (typeof body.mark === 'string') writeFileSync(body.mark, String(threadId));
    for (;;) {
      // Burn the thread.
    }
  },
};

export default spin;
