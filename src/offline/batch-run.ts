import { createReadStream, createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { loadConfig } from '../config/load-config.js';
import { RequestError } from '../rpc/request-error.js';
import { startEngine } from '../server/engine.js';
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
  /** Batches of keys in flight (default: 4 per pool thread). */
  concurrency?: number;
  resume: boolean;
  deadlineMs?: number;
  tty: boolean;
  /** Where progress goes (stderr by default). */
  report?: (s: string) => void;
}

/** Keys per pool task. */
const BATCH = 16;

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

  // Keys travel to the pool in small batches: one dispatch per batch, not per key.
  let chunk: { n: number; key: string; body: string }[] = [];
  const runChunk = async (keys: typeof chunk): Promise<void> => {
    let results: (string | { code: number; message: string })[];
    try {
      results = await engine.dispatch.pool.runCallBatch(
        keys.map((k) => k.body),
        Date.now() + deadlineMs * keys.length,
      );
    } catch (e) {
      const err = e instanceof RequestError ? e : new RequestError(status.INTERNAL, String(e));
      results = keys.map(() => ({ code: err.code, message: err.message }));
    }
    for (let i = 0; i < keys.length; i++) {
      const { n, key } = keys[i]!;
      const r = results[i]!;
      if (typeof r === 'string') {
        answered++;
        await writer.put(n, `{"key":${JSON.stringify(key)},"response":${r}}`);
      } else {
        failed++;
        errors?.write(`${JSON.stringify({ key, code: status[r.code], message: r.message })}\n`);
        await writer.put(n, null);
      }
    }
    progress.update(answered + failed, failed, skipped);
  };
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const p = runChunk(chunk).finally(() => inFlight.delete(p));
    chunk = [];
    inFlight.add(p);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  try {
    let lineNo = 0;
    for await (const raw of createInterface({ input: createReadStream(o.input), crlfDelay: Infinity })) {
      lineNo++;
      const line = raw.trim();
      if (line === '') continue;
      const { key, body } = template ? { key: line, body: template.fill(line) } : requestLine(line, lineNo);
      const n = seq++;
      if (done.has(key)) {
        skipped++;
        await writer.put(n, null);
        continue;
      }
      chunk.push({ n, key, body });
      if (chunk.length === BATCH) await flush();
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

/** A JSON-line request: its "key" field names it in the output, else its line number. */
function requestLine(line: string, lineNo: number): { key: string; body: string } {
  let key = String(lineNo);
  try {
    const k = (JSON.parse(line) as { key?: unknown }).key;
    if (typeof k === 'string' || typeof k === 'number') key = String(k);
  } catch {
    // The pool answers a line that is not JSON with INVALID_ARGUMENT, like the server.
  }
  return { key, body: line };
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim() !== '') n++;
  return n;
}
