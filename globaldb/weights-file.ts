import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LoadError } from './load-error.js';
import { type ScanProgress, scanLines } from './line-scanner.js';
import type { TableImage, TableSpec } from './table.js';
import { weightsImage } from './weights-table.js';

/**
 * Binary weights: a 16-byte header — magic "RKDW", then version (1), rows and
 * cols as uint32 little-endian — followed by rows × cols float32
 * little-endian values, row-major. Text weights: one row per line, numbers
 * separated by spaces, tabs or commas, every row the same length.
 */
export const WEIGHTS_MAGIC = 'RKDW';
export const WEIGHTS_HEADER_BYTES = 16;

export function readWeightsFile(spec: TableSpec, onProgress: (p: ScanProgress) => void): TableImage {
  const binary = spec.format === 'binary' || (spec.format === 'auto' && startsWithMagic(spec.file));
  return binary ? readBinary(spec, onProgress) : readText(spec, onProgress);
}

function startsWithMagic(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === WEIGHTS_MAGIC;
  } finally {
    closeSync(fd);
  }
}

function readBinary(spec: TableSpec, onProgress: (p: ScanProgress) => void): TableImage {
  const fd = openSync(spec.file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(WEIGHTS_HEADER_BYTES);
    if (readSync(fd, head, 0, WEIGHTS_HEADER_BYTES, 0) !== WEIGHTS_HEADER_BYTES || head.toString('latin1', 0, 4) !== WEIGHTS_MAGIC) {
      throw new LoadError(spec.file, 0, `not a binary weights file (no "${WEIGHTS_MAGIC}" header)`);
    }
    const version = head.readUInt32LE(4);
    const rows = head.readUInt32LE(8);
    const cols = head.readUInt32LE(12);
    if (version !== 1) throw new LoadError(spec.file, 0, `weights format version ${version} is not supported (1 is)`);
    const expected = WEIGHTS_HEADER_BYTES + rows * cols * 4;
    if (size !== expected) {
      throw new LoadError(spec.file, 0, `${rows} × ${cols} weights need ${expected} bytes, the file has ${size} (truncated or corrupt)`);
    }
    const buffer = new SharedArrayBuffer(rows * cols * 4);
    const bytes = new Uint8Array(buffer);
    for (let at = 0; at < bytes.length; ) {
      const n = readSync(fd, bytes, at, Math.min(bytes.length - at, 16 << 20), WEIGHTS_HEADER_BYTES + at);
      if (n === 0) throw new LoadError(spec.file, 0, 'the file ended early while it was read');
      at += n;
      onProgress({ lines: 0, bytes: at, totalBytes: size });
    }
    if (!littleEndianHost) new Uint32Array(buffer).forEach((w, i, a) => (a[i] = swap32(w)));
    const values = new Float32Array(buffer);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) throw new LoadError(spec.file, 0, `value ${i} (row ${Math.floor(i / cols)}) is ${values[i]}`);
    }
    return weightsImage(spec.name, rows, cols, buffer);
  } finally {
    closeSync(fd);
  }
}

function readText(spec: TableSpec, onProgress: (p: ScanProgress) => void): TableImage {
  let values = new Float32Array(1024);
  let count = 0;
  let rows = 0;
  let cols = -1;
  scanLines(
    spec.file,
    (buf, start, end, line) => {
      const fields = Buffer.from(buf.buffer, buf.byteOffset + start, end - start)
        .toString('latin1')
        .split(/[\s,]+/)
        .filter((f) => f !== '');
      if (cols < 0) cols = fields.length;
      else if (fields.length !== cols) throw new LoadError(spec.file, line, `${fields.length} values, but the first row has ${cols}`);
      if (count + cols > values.length) {
        const bigger = new Float32Array(Math.max(values.length * 2, count + cols));
        bigger.set(values);
        values = bigger;
      }
      for (const f of fields) {
        const v = Number(f);
        if (!Number.isFinite(v)) throw new LoadError(spec.file, line, `"${f}" is not a finite number`);
        values[count++] = v;
      }
      rows++;
    },
    onProgress,
  );
  const buffer = new SharedArrayBuffer(count * 4);
  new Float32Array(buffer).set(values.subarray(0, count));
  return weightsImage(spec.name, rows, Math.max(cols, 0), buffer);
}

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function swap32(w: number): number {
  return ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24);
}
