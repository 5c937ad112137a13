/**
 * One pool task of the offline runner: a batch of keys in, their output
 * lines out as one UTF-8 buffer. Templating, the output JSON and its encoding
 * happen in the pool thread, so the main thread only reads keys and writes
 * bytes (with 2 cores it competes with the threads for every microsecond).
 */
import type { TaskRunner } from '../pool/task-runner.js';
import { RequestTemplate } from './request-template.js';

export interface KeyBatch {
  keys: string[];
  /** A Call body with {key}: each key fills it in. */
  template?: string;
  /** Without a template: each key's own Call body (JSON-line input). */
  bodies?: string[];
}

export interface KeyBatchReply {
  /** The output lines of the keys answered, in order. */
  output: Uint8Array;
  /** Keys not answered, by index in `keys`. */
  failures: { index: number; code: number; message: string }[];
  /** Time the thread spent on the batch (sizes the next batches). */
  ms: number;
}

/** One line of `rankd run` output. */
export function outputLine(key: string, response: string): string {
  return `{"key":${JSON.stringify(key)},"response":${response}}\n`;
}

let template: RequestTemplate | undefined;

export async function answerKeyBatch(runner: Pick<TaskRunner, 'runCallBatch'>, batch: KeyBatch, deadline: number): Promise<KeyBatchReply> {
  const start = performance.now();
  let bodies = batch.bodies;
  if (bodies === undefined) {
    // Every batch of a run carries the same template: parse it once per thread.
    if (template?.text !== batch.template) template = new RequestTemplate(batch.template!);
    bodies = batch.keys.map((k) => template!.fill(k));
  }
  const results = await runner.runCallBatch(bodies, deadline);
  let text = '';
  const failures: KeyBatchReply['failures'] = [];
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (typeof r === 'string') text += outputLine(batch.keys[i]!, r);
    else failures.push({ index: i, code: r.code, message: r.message });
  }
  return { output: Buffer.from(text), failures, ms: performance.now() - start };
}
