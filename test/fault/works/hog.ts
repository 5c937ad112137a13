/**
 * A work that keeps every object it makes until its thread's heap
 * ([pool] max_heap_mb) runs out. With "mark": <file> it first appends its
 * thread id there, one line per run, so a test can count the runs.
 */
import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import type { Work } from '../../../src/pool/work.js';

const hog: Work = {
  call(body): never {
    if (typeof body.mark === 'string') appendFileSync(body.mark, `${threadId}\n`);
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array<number>(4096).fill(hoard.length));
  },
};

export default hog;
