import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from '../package-root.js';

/**
 * URL of a thread entry file, given relative to the caller as `.js`.
 * Threads always run compiled JavaScript: when the caller itself runs from
 * TypeScript sources (vitest), the file is taken from the build in dist/.
 */
export function threadScript(fromUrl: string, relativeJs: string): URL {
  const url = new URL(relativeJs, fromUrl);
  if (!fromUrl.endsWith('.ts')) return url;
  const rel = path.relative(packageRoot, fileURLToPath(url));
  return pathToFileURL(path.join(packageRoot, 'dist', rel));
}
