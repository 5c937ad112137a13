import { WEIGHTS_HEADER_BYTES, WEIGHTS_MAGIC, WEIGHTS_VERSION } from '../../globaldb/weights-file.js';

/** A binary weights file ("RKDW", version, rows, cols, then float32 LE row-major) of rows × cols values. */
export function binaryWeights(rows: number, cols: number, value: (index: number) => number): Buffer {
  const file = Buffer.alloc(WEIGHTS_HEADER_BYTES + rows * cols * 4);
  file.write(WEIGHTS_MAGIC, 0, 'latin1');
  file.writeUInt32LE(WEIGHTS_VERSION, 4);
  file.writeUInt32LE(rows, 8);
  file.writeUInt32LE(cols, 12);
  for (let i = 0; i < rows * cols; i++) file.writeFloatLE(value(i), WEIGHTS_HEADER_BYTES + 4 * i);
  return file;
}
