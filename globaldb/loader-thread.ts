/** A loader thread: reads one table file into shared memory and posts its image (buffers shared, not copied). */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../src/pool/thread-priority.js';
import { LoadError } from './load-error.js';
import { loadTableFile } from './load-table-file.js';
import { useSpares } from './shared-alloc.js';
import type { LoadProgress, TableImage, TableSpec } from './table.js';

export interface LoaderRequest {
  spec: TableSpec;
  spares: SharedArrayBuffer[];
  /** Niceness to lower this thread to (0: the caller's priority). */
  nice: number;
}

export type LoaderReply =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'done'; image: TableImage }
  | { type: 'error'; file: string; line: number; reason: string };

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const { spec, spares, nice } = workerData as LoaderRequest;
  const post = (reply: LoaderReply): void => port.postMessage(reply);
  lowerThreadPriority(nice); // best effort: a load at full priority is still a load
  useSpares(spares);
  try {
    const table = loadTableFile(spec, (progress) => post({ type: 'progress', progress }));
    post({ type: 'done', image: table.image });
  } catch (err) {
    // A class does not survive postMessage: send the fields, the caller rebuilds the LoadError.
    post(
      err instanceof LoadError
        ? { type: 'error', file: err.file, line: err.line, reason: err.reason }
        : { type: 'error', file: spec.file, line: 0, reason: (err as Error).message },
    );
  }
}
