import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** rankd's own folder (where its package.json is), whether running from src/ or from the build in dist/. */
export const packageRoot: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'rankd') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`rankd's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
})();

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}
