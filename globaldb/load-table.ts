import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { threadScript } from '../src/pool/thread-script.js';
import { LoadError } from './load-error.js';
import type { LoaderReply, LoaderRequest } from './loader-thread.js';
import type { LoadProgress, TableImage, TableSpec } from './table.js';

/**
 * Loads a table file in a loader thread, never on the caller's event loop,
 * and resolves to its image (shared buffers: post it anywhere, no copy).
 * Rejects with a LoadError (`file:line: reason`) when the file is missing or
 * wrong; nothing is built then. `onProgress` gets lines and bytes read as the
 * load goes, then once at the end. `spares` are buffers no thread reads any
 * more (a retired generation's); the load reuses those of a size it needs.
 * `nice` lowers the loader thread's priority (Linux): a server loads at its
 * pool threads' priority, so that a live update does not preempt serving.
 */
export function loadTable(
  spec: TableSpec,
  onProgress?: (p: LoadProgress) => void,
  spares: readonly SharedArrayBuffer[] = [],
  nice = 0,
): Promise<TableImage> {
  return new Promise((resolve, reject) => {
    const request: LoaderRequest = { spec, spares: [...spares], nice };
    const worker = new Worker(fileURLToPath(threadScript(import.meta.url, './loader-thread.js')), { workerData: request });
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on('message', (m: LoaderReply) => {
      if (m.type === 'progress') {
        try {
          onProgress?.(m.progress);
        } catch (err) {
          settle(() => reject(err));
        }
      } else if (m.type === 'done') {
        settle(() => resolve(m.image));
      } else {
        settle(() => reject(new LoadError(m.file, m.line, m.reason)));
      }
    });
    worker.on('error', (err) => settle(() => reject(new LoadError(spec.file, 0, `the loader thread failed: ${err.message}`))));
    worker.on('exit', (code) => settle(() => reject(new LoadError(spec.file, 0, `the loader thread exited (code ${code}) before finishing`))));
  });
}
