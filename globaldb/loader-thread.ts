/** A loader thread: reads one table file into shared memory and posts the image (the buffers are shared, not copied). */
import { parentPort, workerData } from 'node:worker_threads';
import { LoadError } from './load-error.js';
import { readTableFile } from './read-table-file.js';
import { useSpares } from './shared-alloc.js';
import type { TableSpec } from './table.js';

const { spec, spares } = workerData as { spec: TableSpec; spares: SharedArrayBuffer[] };
useSpares(spares);
try {
  const image = readTableFile(spec, (p) => parentPort!.postMessage({ type: 'progress', ...p }));
  parentPort!.postMessage({ type: 'done', image });
} catch (e) {
  const err = e as Error;
  const where = e instanceof LoadError ? { file: e.file, line: e.line, reason: e.reason } : { file: spec.file, line: 0, reason: err.message };
  parentPort!.postMessage({ type: 'error', ...where });
}
