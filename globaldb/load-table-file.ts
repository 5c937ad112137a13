import { statSync } from 'node:fs';
import { readGbdtFile } from './gbdt-file.js';
import { readIdFile, type ChunkProgress } from './id-file-reader.js';
import { KvBuilder } from './kv-builder.js';
import { MapBuilder } from './map-builder.js';
import { SetBuilder } from './set-builder.js';
import type { AnyTable, LoadProgress, TableSpec } from './table.js';
import { readWeightsFile } from './weights-file.js';

/**
 * Loads one table file, synchronously, in the calling thread. The server
 * calls it only inside a loader thread (load-table.ts); tests and tools may
 * call it directly. Throws LoadError for anything wrong with the file, and
 * builds nothing in that case.
 */
export function loadTableFile(spec: TableSpec, onProgress?: (p: LoadProgress) => void): AnyTable {
  let last: LoadProgress = { table: spec.name, lines: 0, bytes: 0, totalBytes: 0 };
  let reportedAll = false;
  const onChunk: ChunkProgress = (lines, bytes, totalBytes) => {
    last = { table: spec.name, lines, bytes, totalBytes };
    reportedAll = bytes === totalBytes;
    onProgress?.(last);
  };
  const table = readTable(spec, onChunk);
  // Always end with a report of the whole file, even one read in a single chunk or empty.
  if (!reportedAll) onProgress?.({ ...last, bytes: last.totalBytes });
  return table;
}

/**
 * Entries to reserve room for, from the file size: a guess on the short
 * side of typical lines, so the entry log rarely has to grow (each growth
 * copies it) without reserving much more than needed.
 */
function expectedEntries(file: string, bytesPerLine: number): number {
  try {
    return Math.min(Math.ceil(statSync(file).size / bytesPerLine), 1 << 28);
  } catch {
    return 1024; // the reader reports a missing file properly
  }
}

function readTable(spec: TableSpec, onChunk: ChunkProgress): AnyTable {
  switch (spec.kind) {
    case 'set': {
      const builder = new SetBuilder(spec.name, expectedEntries(spec.file, 12));
      readIdFile(spec.file, { kind: 'set', builder }, spec.separator, onChunk);
      return builder.build();
    }
    case 'map': {
      const builder = new MapBuilder(spec.name, expectedEntries(spec.file, 20));
      readIdFile(spec.file, { kind: 'map', builder }, spec.separator ?? '\t', onChunk);
      return builder.build();
    }
    case 'kv': {
      const builder = new KvBuilder(spec.name, expectedEntries(spec.file, 32));
      readIdFile(spec.file, { kind: 'kv', builder }, spec.separator ?? '\t', onChunk);
      return builder.build();
    }
    case 'weights':
      return readWeightsFile(spec.file, spec.name, spec.format ?? 'auto', onChunk);
    case 'gbdt':
      return readGbdtFile(spec.file, spec.name, onChunk);
    default:
      throw new TypeError(`table "${spec.name}": unknown kind "${(spec as TableSpec).kind}"`);
  }
}
