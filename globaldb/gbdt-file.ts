import { fstatSync, readFileSync, closeSync } from 'node:fs';
import { buildGbdtTable, type SharedGbdtTable } from './gbdt-table.js';
import { ModelFormatError, parseXgboostModel } from './gbdt-model-json.js';
import type { ChunkProgress } from './id-file-reader.js';
import { openFile } from './line-chunks.js';
import { LoadError } from './load-error.js';

/**
 * Loads a gbdt table from an XGBoost JSON model file (save_model("m.json")).
 * A file that does not parse or uses a feature rankd does not evaluate
 * throws LoadError with the reason, and nothing is built.
 */
export function readGbdtFile(file: string, name: string, onChunk?: ChunkProgress): SharedGbdtTable {
  const fd = openFile(file);
  let text: string;
  let size: number;
  try {
    size = fstatSync(fd).size;
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  onChunk?.(0, size, size);
  try {
    return buildGbdtTable(name, parseXgboostModel(text));
  } catch (e) {
    if (e instanceof ModelFormatError) throw new LoadError(file, 0, `XGBoost model refused: ${e.message}`);
    throw e;
  }
}
