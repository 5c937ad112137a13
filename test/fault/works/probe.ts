/**
 * Says which thread answered, with which generation of the global tables and
 * what a table holds for a key, after awaiting hold_ms (the body's, else the
 * work's ini key, else 0): a slow api when hold_ms is set. With "mark":
 * <file> it first appends its thread id there, one line per run. With
 * "nice": true it adds its thread's niceness.
 *
 *   {"api": "probe", "table": "item_category", "key": "1001", "hold_ms": 20}
 *   → {"threadId": 3, "generation": 2, "size": 2000, "value": 7}
 */
import { appendFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { threadId } from 'node:worker_threads';
import type { GlobalTables, Work } from '../../../src/pool/work.js';

const probe: Work = {
  async call(body, ctx) {
    if (typeof body.mark === 'string') appendFileSync(body.mark, `${threadId}\n`);
    const holdMs = Number(body.hold_ms ?? ctx.params.hold_ms ?? 0);
    if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
    const reply: Record<string, unknown> = { threadId, generation: ctx.global.generation };
    // Linux: niceness is per thread, and getpriority() of "this process" reads the calling thread's.
    if (body.nice === true) reply.nice = getPriority();
    if (typeof body.table === 'string') {
      reply.size = ctx.global.table(body.table).size;
      if (body.key !== undefined) reply.value = lookup(ctx.global, body.table, String(body.key));
    }
    return reply;
  },
};

/** A set answers true/false, a map its number, a kv its text (null when absent), weights the key's row. */
function lookup(global: GlobalTables, name: string, key: string): unknown {
  const kind = global.table(name).kind;
  if (kind === 'set') return global.set(name).has(key);
  if (kind === 'map') return global.map(name).get(key) ?? null;
  if (kind === 'kv') {
    const bytes = global.kv(name).get(key);
    return bytes === undefined ? null : Buffer.from(bytes).toString('utf8');
  }
  if (kind === 'weights') return [...global.weights(name).row(Number(key))];
  throw new Error(`probe cannot read ${name}, a ${kind}`);
}

export default probe;
