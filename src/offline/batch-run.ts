import { createReadStream, createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { loadConfig } from '../config/load-config.js';
import { RequestError } from '../rpc/request-error.js';
import { startEngine } from '../server/engine.js';
import { BatchSize } from './batch-size.js';
import { countLines } from './count-lines.js';
import type { KeyBatch, KeyBatchReply } from './key-batch.js';
import { OrderedWriter } from './ordered-writer.js';
import { ProgressReport } from './progress-report.js';
import { RequestTemplate } from './request-template.js';
import { resumeState } from './resume-state.js';
import { status } from '@grpc/grpc-js';

export interface BatchOptions {
  configDir: string;
  /** Keys, one per line (with a template), or JSON-line requests (without). */
  input: string;
  template?: string;
  /** JSON lines {"key":…,"response":…}; stdout when absent. */
  out?: string;
  /** JSON lines {"key":…,"code":…,"message":…} for keys that failed. */
  errors?: string;
  threads?: number;
  /** Batches of keys in flight (default: 2 per pool task slot: one running, one waiting). */
  concurrency?: number;
  resume: boolean;
  deadlineMs?: number;
  tty: boolean;
  /** Where progress goes (stderr by default). */
  report?: (s: string) => void;
}

export interface BatchSummary {
  done: number;
  failed: number;
  skipped: number;
  seconds: number;
}

/**
 * lab_common_so's offline program: every key through the same pool, works
 * and global tables as the server, with no network. Output follows input
 * order; failed keys go to the errors file and are retried by --resume.
 */
export async function runBatch(o: BatchOptions): Promise<BatchSummary> {
  if (!existsSync(o.input)) throw new Error(`input file not found: ${o.input}`);
  const template = o.template === undefined ? undefined : RequestTemplate.from(o.template);
  if (o.resume && o.out === undefined) throw new Error('--resume needs --out: it skips the keys already in that file');
  const done = o.resume ? resumeState(o.out!) : new Set<string>();

  const config = loadConfig(o.configDir);
  if (o.threads !== undefined) config.pool.threads = o.threads;
  const deadlineMs = o.deadlineMs ?? config.server.deadlineMs;
  const concurrency = o.concurrency ?? config.pool.threads * config.pool.tasksPerThread * 2;
  const engine = await startEngine(o.configDir, config, () => {});

  const out: Writable = o.out === undefined ? process.stdout : createWriteStream(o.out, { flags: o.resume ? 'a' : 'w' });
  const errors = o.errors === undefined ? undefined : createWriteStream(o.errors, { flags: o.resume ? 'a' : 'w' });
  const writer = new OrderedWriter(out);
  const progress = new ProgressReport(await countLines(o.input), o.tty, o.report);
  const started = performance.now();
  let answered = 0;
  let failed = 0;
  let skipped = 0;
  let seq = 0;
  const inFlight = new Set<Promise<void>>();
  const size = new BatchSize();

  // Keys travel to the pool in batches: one task, one message each way, one write per batch.
  let keys: string[] = [];
  let bodies: string[] = [];
  const runChunk = async (n: number, batch: KeyBatch): Promise<void> => {
    let reply: KeyBatchReply;
    try {
      reply = await engine.dispatch.pool.runCallBatch(batch, Date.now() + deadlineMs * batch.keys.length);
      size.record(batch.keys.length, reply.ms);
    } catch (e) {
      const err = e instanceof RequestError ? e : new RequestError(status.INTERNAL, String(e));
      reply = { output: new Uint8Array(0), failures: batch.keys.map((_, index) => ({ index, code: err.code, message: err.message })), ms: 0 };
    }
    answered += batch.keys.length - reply.failures.length;
    failed += reply.failures.length;
    for (const f of reply.failures) {
      errors?.write(`${JSON.stringify({ key: batch.keys[f.index], code: status[f.code], message: f.message })}\n`);
    }
    await writer.put(n, reply.output);
    progress.update(answered + failed, failed, skipped);
  };
  const flush = async (): Promise<void> => {
    if (keys.length === 0) return;
    const p = runChunk(seq++, template ? { keys, template: template.text } : { keys, bodies }).finally(() => inFlight.delete(p));
    keys = [];
    bodies = [];
    inFlight.add(p);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  try {
    let lineNo = 0;
    for await (const raw of createInterface({ input: createReadStream(o.input), crlfDelay: Infinity })) {
      lineNo++;
      const line = raw.trim();
      if (line === '') continue;
      const key = template ? line : requestKey(line, lineNo);
      if (done.has(key)) {
        skipped++;
        continue;
      }
      keys.push(key);
      if (!template) bodies.push(line);
      if (keys.length >= size.next) await flush();
    }
    await flush();
    await Promise.all(inFlight);
  } finally {
    await engine.stop();
    for (const s of [out === process.stdout ? undefined : (out as WriteStream), errors]) {
      if (s !== undefined) {
        s.end();
        await once(s, 'close');
      }
    }
  }
  progress.finish(answered + failed, failed, skipped);
  return { done: answered, failed, skipped, seconds: (performance.now() - started) / 1000 };
}

/** A JSON-line request's name in the output: its "key" field, else its line number. */
function requestKey(line: string, lineNo: number): string {
  try {
    const k = (JSON.parse(line) as { key?: unknown }).key;
    if (typeof k === 'string' || typeof k === 'number') return String(k);
  } catch {
    // The pool answers a line that is not JSON with INVALID_ARGUMENT, like the server.
  }
  return String(lineNo);
}
