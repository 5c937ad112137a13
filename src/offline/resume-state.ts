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
    // Counted line by line: measuring the whole prefix each time made a
    // resume over a large output quadratic (minutes for 100,000 lines).
    kept += Buffer.byteLength(line) + 1;
  }
  const fd = openSync(outFile, 'r+');
  try {
    ftruncateSync(fd, kept);
  } finally {
    closeSync(fd);
  }
  return done;
}
