import { closeSync, fstatSync, readSync } from 'node:fs';
import type { ChunkProgress } from './id-file-reader.js';
import { LineChunks, openFile } from './line-chunks.js';
import { LoadError } from './load-error.js';
import { allocShared } from './shared-alloc.js';
import { SharedWeightsTable, weightsImage } from './weights-table.js';

/**
 * Weights files: a dense rows × cols float32 matrix, in one of two formats.
 *
 * Binary (little-endian):
 *   bytes 0–3    magic "RKDW"
 *   bytes 4–7    uint32 version = 1
 *   bytes 8–11   uint32 rows
 *   bytes 12–15  uint32 cols
 *   then         rows × cols float32, row-major; the file ends there
 *
 * Text: one row per line, numbers separated by any run of spaces, tabs and
 * commas; every row has the same number of values. Blank lines and lines
 * starting with '#' are skipped.
 */
export const WEIGHTS_MAGIC = 'RKDW';
export const WEIGHTS_VERSION = 1;
export const WEIGHTS_HEADER_BYTES = 16;

export type WeightsFormat = 'auto' | 'text' | 'binary';

export function readWeightsFile(
  file: string,
  name: string,
  format: WeightsFormat,
  onChunk?: ChunkProgress,
): SharedWeightsTable {
  const binary = format === 'binary' || (format === 'auto' && startsWithMagic(file));
  return binary ? readBinary(file, name, onChunk) : readText(file, name, onChunk);
}

function startsWithMagic(file: string): boolean {
  const fd = openFile(file);
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === WEIGHTS_MAGIC;
  } finally {
    closeSync(fd);
  }
}

function readBinary(file: string, name: string, onChunk?: ChunkProgress): SharedWeightsTable {
  const fd = openFile(file);
  try {
    const size = fstatSync(fd).size;
    const header = Buffer.alloc(WEIGHTS_HEADER_BYTES);
    if (readSync(fd, header, 0, WEIGHTS_HEADER_BYTES, 0) !== WEIGHTS_HEADER_BYTES) {
      throw new LoadError(file, 0, `too short for a weights header (${size} bytes)`);
    }
    if (header.toString('latin1', 0, 4) !== WEIGHTS_MAGIC) throw new LoadError(file, 0, `no "${WEIGHTS_MAGIC}" magic`);
    const version = header.readUInt32LE(4);
    if (version !== WEIGHTS_VERSION) throw new LoadError(file, 0, `unsupported weights version ${version}`);
    const rows = header.readUInt32LE(8);
    const cols = header.readUInt32LE(12);
    const dataBytes = rows * cols * 4;
    if (size !== WEIGHTS_HEADER_BYTES + dataBytes) {
      throw new LoadError(
        file,
        0,
        `size ${size} does not match the header: ${rows} × ${cols} float32 need ${WEIGHTS_HEADER_BYTES + dataBytes} bytes`,
      );
    }
    // Read straight into shared memory: no staging copy of the matrix.
    const buffer = allocShared(dataBytes);
    const bytes = new Uint8Array(buffer);
    for (let at = 0; at < dataBytes; ) {
      const n = readSync(fd, bytes, at, Math.min(dataBytes - at, 16 << 20), WEIGHTS_HEADER_BYTES + at);
      if (n === 0) throw new LoadError(file, 0, 'file shrank while reading');
      at += n;
      onChunk?.(0, WEIGHTS_HEADER_BYTES + at, size);
    }
    if (!HOST_LITTLE_ENDIAN) swapFloat32Bytes(bytes);
    const values = new Float32Array(buffer);
    const bad = firstNonFinite(values);
    if (bad >= 0) {
      throw new LoadError(file, 0, `value ${values[bad]} at row ${Math.floor(bad / cols)}, column ${bad % cols} is not a finite number`);
    }
    return new SharedWeightsTable(weightsImage(name, rows, cols, buffer));
  } finally {
    closeSync(fd);
  }
}

/** Index of the first NaN or infinite value, or -1: text files cannot hold those, binary ones must not either. */
function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function swapFloat32Bytes(bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i += 4) {
    const a = bytes[i]!;
    const b = bytes[i + 1]!;
    bytes[i] = bytes[i + 3]!;
    bytes[i + 1] = bytes[i + 2]!;
    bytes[i + 2] = b;
    bytes[i + 3] = a;
  }
}

const NL = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const COMMA = 44;
const HASH = 35;

function isGap(c: number): boolean {
  return c === SPACE || c === TAB || c === COMMA || c === CR;
}

/** Characters a decimal float can contain; anything else is refused before Number() sees it (no hex, no "Infinity"). */
function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69;
}

function readText(file: string, name: string, onChunk?: ChunkProgress): SharedWeightsTable {
  const chunks = new LineChunks(file);
  let values = new Float32Array(1024);
  let count = 0;
  let cols = -1;
  let colsLine = 0;
  let line = 0;
  try {
    while (chunks.next()) {
      const buf = chunks.buf;
      let p = chunks.start;
      while (p < chunks.end) {
        line++;
        const eol = buf.indexOf(NL, p);
        let i = p;
        while (i < eol && isGap(buf[i]!)) i++;
        if (i === eol || buf[i] === HASH) {
          p = eol + 1;
          continue;
        }
        let inRow = 0;
        while (i < eol) {
          const start = i;
          while (i < eol && !isGap(buf[i]!)) {
            if (!isNumberChar(buf[i]!)) throw new LoadError(file, line, `bad number "${latin1(buf, start, tokenEnd(buf, i, eol))}"`);
            i++;
          }
          const n = Number(latin1(buf, start, i));
          if (Number.isNaN(n)) throw new LoadError(file, line, `bad number "${latin1(buf, start, i)}"`);
          // "1e39" passes the character check but is Infinity as a float32.
          if (!Number.isFinite(Math.fround(n))) throw new LoadError(file, line, `number "${latin1(buf, start, i)}" is out of float32 range`);
          if (count === values.length) {
            const bigger = new Float32Array(values.length * 2);
            bigger.set(values);
            values = bigger;
          }
          values[count++] = n;
          inRow++;
          while (i < eol && isGap(buf[i]!)) i++;
        }
        if (cols < 0) {
          cols = inRow;
          colsLine = line;
        } else if (inRow !== cols) {
          throw new LoadError(file, line, `row has ${inRow} values, expected ${cols} like line ${colsLine}`);
        }
        p = eol + 1;
      }
      onChunk?.(line, chunks.bytesRead, chunks.totalBytes);
    }
  } finally {
    chunks.close();
  }
  if (cols < 0) cols = 0;
  const rows = cols === 0 ? 0 : count / cols;
  const buffer = allocShared(count * 4);
  new Float32Array(buffer).set(values.subarray(0, count));
  return new SharedWeightsTable(weightsImage(name, rows, cols, buffer));
}

function tokenEnd(buf: Uint8Array, from: number, eol: number): number {
  let i = from;
  while (i < eol && !isGap(buf[i]!) && i - from < 40) i++;
  return i;
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1');
}
