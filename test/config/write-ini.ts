import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { createTempDir, removeTempDir } from '../support/temp-dir.js';

/** A temp folder per test, removed after it; `write` puts files in it (lines joined by \n). */
export function useTempConfigDir(): { dir: () => string; write: (name: string, ...lines: string[]) => string } {
  let current: string | undefined;
  afterEach(() => {
    if (current !== undefined) removeTempDir(current);
    current = undefined;
  });
  const dir = (): string => (current ??= createTempDir('config'));
  return {
    dir,
    write: (name, ...lines) => {
      const file = join(dir(), name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, lines.join('\n') + '\n');
      return file;
    },
  };
}
