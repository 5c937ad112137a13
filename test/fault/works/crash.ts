/**
 * A work that ends its own pool thread: it answers with its thread id, then
 * calls process.exit (which, in a worker thread, ends that thread only)
 * after_ms later, typically while the thread runs someone else's call. With
 * "now": true it ends the thread at once, before answering.
 */
import { threadId } from 'node:worker_threads';
import type { Work } from '../../../src/pool/work.js';

const crash: Work = {
  call(body) {
    if (body.now === true) process.exit(1);
    const afterMs = typeof body.after_ms === 'number' ? body.after_ms : 0;
    setTimeout(() => process.exit(1), afterMs);
    return { threadId };
  },
};

export default crash;
