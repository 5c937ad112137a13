import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExit } from './exit-cleanup.js';

const forgetters = new Map<string, () => void>();

/** A fresh directory under the OS temp dir, removed at process exit if the test does not remove it first. */
export function createTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `rankd-${prefix}-`));
  forgetters.set(dir, onExit(() => rmSync(dir, { recursive: true, force: true })));
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  forgetters.get(dir)?.();
  forgetters.delete(dir);
}
