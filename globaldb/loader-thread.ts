/** A loader thread: reads one table file into shared memory and posts its image (buffers shared, not copied). */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { LoadError } from './load-error.js';
import { loadTableFile } from './load-table-file.js';
import { useSpares } from './shared-alloc.js';
import type { LoadProgress, TableImage, TableSpec } from './table.js';

export interface LoaderRequest {
  spec: TableSpec;
  spares: SharedArrayBuffer[];
}

export type LoaderReply =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'done'; image: TableImage }
  | { type: 'error'; file: string; line: number; reason: string };

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const { spec, spares } = workerData as LoaderRequest;
  const post = (reply: LoaderReply): void => port.postMessage(reply);
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
