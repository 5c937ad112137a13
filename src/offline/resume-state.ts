import { existsSync, openSync, closeSync, readFileSync, ftruncateSync } from 'node:fs';

/**
 * Keys already answered in an output file of a previous run. A run killed
 * mid-write can leave a partial last line: it is cut off, so appending
 * continues on a clean line boundary.
 */
export function resumeState(outFile: string): Set<string> {
  const done = new Set<string>();
  if (!existsSync(outFile)) return done;
  const text = readFileSync(outFile, 'utf8');
  let kept = 0;
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break; // the partial last line
    const line = text.slice(start, nl);
    let key: unknown;
    try {
      key = (JSON.parse(line) as { key?: unknown }).key;
    } catch {
      break; // a torn line: everything from here is rewritten
    }
    if (typeof key === 'string') done.add(key);
    start = nl + 1;
    kept = Buffer.byteLength(text.slice(0, start));
  }
  const fd = openSync(outFile, 'r+');
  try {
    ftruncateSync(fd, kept);
  } finally {
    closeSync(fd);
  }
  return done;
}
