import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { threadScript } from '../src/pool/thread-script.js';
import { LoadError } from './load-error.js';
import type { LoadProgress, TableImage, TableSpec } from './table.js';

type LoaderMessage =
  | ({ type: 'progress' } & Omit<LoadProgress, 'table'>)
  | { type: 'done'; image: TableImage }
  | { type: 'error'; file: string; line: number; reason: string };

/**
 * Loads a table file in a loader thread, never on the caller's event loop.
 * Resolves to the image (its buffers are shared memory), or rejects with a
 * LoadError whose message is `file:line: reason`; nothing is built then.
 * `spares` are buffers no thread reads any more, reused where a size matches.
 */
export function loadTable(
  spec: TableSpec,
  onProgress: (p: LoadProgress) => void = () => {},
  spares: readonly SharedArrayBuffer[] = [],
): Promise<TableImage> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(threadScript(import.meta.url, './loader-thread.js')), { workerData: { spec, spares } });
    let settled = false;
    worker.on('message', (m: LoaderMessage) => {
      if (m.type === 'progress') onProgress({ table: spec.name, lines: m.lines, bytes: m.bytes, totalBytes: m.totalBytes });
      else {
        settled = true;
        if (m.type === 'done') resolve(m.image);
        else reject(new LoadError(m.file, m.line, m.reason));
        void worker.terminate();
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(new LoadError(spec.file, 0, `the loader thread failed: ${e.message}`));
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new LoadError(spec.file, 0, `the loader thread exited (code ${code}) before finishing`));
    });
  });
}
