import { KvBuilder } from './kv-builder.js';
import { LoadError } from './load-error.js';
import { MapBuilder } from './map-builder.js';
import { parsedHalves, parseIdBytes, parseUint32Bytes } from './decimal-id.js';
import { type ScanProgress, scanLines } from './line-scanner.js';
import { SetBuilder } from './set-builder.js';
import type { TableImage, TableSpec } from './table.js';
import { readWeightsFile } from './weights-file.js';

/**
 * Reads a table's data file into shared memory (call it in a loader thread).
 * set: one id per line; map: id<sep>uint32; kv: id<sep>bytes to the end of
 * the line. Blank lines and `#` comments are skipped. For a repeated id the
 * last line wins. The first bad line stops the load with `file:line: reason`.
 */
export function readTableFile(spec: TableSpec, onProgress: (p: ScanProgress) => void = () => {}): TableImage {
  if (spec.kind === 'weights') return readWeightsFile(spec, onProgress);
  const sep = spec.separator.charCodeAt(0);
  if (spec.separator.length !== 1 || sep > 127) {
    throw new LoadError(spec.file, 0, `the separator must be one ASCII character, got ${JSON.stringify(spec.separator)}`);
  }
  const fail = (line: number, reason: string): never => {
    throw new LoadError(spec.file, line, reason);
  };
  const id = (buf: Uint8Array, start: number, end: number, line: number) => {
    const problem = parseIdBytes(buf, start, end);
    if (problem !== undefined) fail(line, problem);
  };
  const split = (buf: Uint8Array, start: number, end: number, line: number): number => {
    const at = buf.indexOf(sep, start);
    if (at < 0 || at >= end) fail(line, `no separator ${JSON.stringify(spec.separator)} between id and value`);
    return at;
  };
  switch (spec.kind) {
    case 'set': {
      const b = new SetBuilder(spec.name);
      scanLines(
        spec.file,
        (buf, start, end, line) => {
          [start, end] = trim(buf, start, end);
          id(buf, start, end, line);
          b.addHalves(parsedHalves[0]!, parsedHalves[1]!);
        },
        onProgress,
      );
      return b.build().image;
    }
    case 'map': {
      const b = new MapBuilder(spec.name);
      scanLines(
        spec.file,
        (buf, start, end, line) => {
          const at = split(buf, start, end, line);
          id(buf, start, at, line);
          const [vs, ve] = trim(buf, at + 1, end);
          const value = parseUint32Bytes(buf, vs, ve);
          if (typeof value === 'string') fail(line, value);
          b.addHalves(parsedHalves[0]!, parsedHalves[1]!, value as number);
        },
        onProgress,
      );
      return b.build().image;
    }
    case 'kv': {
      const b = new KvBuilder(spec.name);
      scanLines(
        spec.file,
        (buf, start, end, line) => {
          const at = split(buf, start, end, line);
          id(buf, start, at, line);
          b.addHalves(parsedHalves[0]!, parsedHalves[1]!, buf, at + 1, end);
        },
        onProgress,
      );
      return b.build().image;
    }
  }
}

/** Without surrounding spaces and tabs. */
function trim(buf: Uint8Array, start: number, end: number): [number, number] {
  while (start < end && (buf[start] === 32 || buf[start] === 9)) start++;
  while (end > start && (buf[end - 1] === 32 || buf[end - 1] === 9)) end--;
  return [start, end];
}
