import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type FaultWorkName = 'spin' | 'hog' | 'crash' | 'probe' | 'remote-read';

/** Path of a work in test/fault/works/ beside this file's build: .ts under vitest, .js when a bench runs from dist/. */
export function faultWork(name: FaultWorkName): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), '..', 'works', `${name}${path.extname(here)}`);
}
