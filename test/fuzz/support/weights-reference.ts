/**
 * The oracle for weights files, written from the format's description in
 * globaldb/weights-file.ts, independent of the loader it checks:
 *
 *   binary  "RKDW", uint32 version 1, uint32 rows, uint32 cols (little-endian),
 *           then exactly rows × cols float32; every value finite
 *   text    one row per line, decimal numbers separated by runs of spaces,
 *           tabs, commas (and CRs); every row as long as the first; blank
 *           lines and lines starting with '#' skipped; every value finite
 *           as a float32
 *
 * 'auto' reads a file that starts with the magic as binary, any other as text.
 * A refusal says where: the line (1-based) for text, 0 for binary.
 */
export type WeightsFormat = 'auto' | 'text' | 'binary';

export type WeightsVerdict = { ok: true; rows: number; cols: number; values: Float32Array } | { ok: false; line: number };

export const MAGIC = Buffer.from('RKDW', 'latin1');
export const HEADER_BYTES = 16;

export function referenceWeights(bytes: Buffer, format: WeightsFormat): WeightsVerdict {
  const binary = format === 'binary' || (format === 'auto' && bytes.subarray(0, 4).equals(MAGIC));
  return binary ? referenceBinary(bytes) : referenceText(bytes);
}

function referenceBinary(bytes: Buffer): WeightsVerdict {
  const refused = { ok: false, line: 0 } as const;
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, 4).equals(MAGIC) || bytes.readUInt32LE(4) !== 1) return refused;
  const rows = bytes.readUInt32LE(8);
  const cols = bytes.readUInt32LE(12);
  if (BigInt(bytes.length) !== BigInt(HEADER_BYTES) + BigInt(rows) * BigInt(cols) * 4n) return refused;
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = bytes.readFloatLE(HEADER_BYTES + 4 * i);
  return values.every(Number.isFinite) ? { ok: true, rows, cols, values } : refused;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function referenceText(bytes: Buffer): WeightsVerdict {
  const values: number[] = [];
  let cols = 0;
  const lines = bytes.toString('latin1').split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const tokens = lines[i]!.split(/[ \t,\r]+/).filter((t) => t !== '');
    if (tokens.length === 0 || tokens[0]!.startsWith('#')) continue;
    if (!tokens.every((t) => DECIMAL.test(t) && Number.isFinite(Math.fround(Number(t))))) return { ok: false, line: i + 1 };
    if (cols === 0) cols = tokens.length;
    else if (tokens.length !== cols) return { ok: false, line: i + 1 };
    values.push(...tokens.map(Number));
  }
  return { ok: true, rows: cols === 0 ? 0 : values.length / cols, cols, values: Float32Array.from(values) };
}

/** The bytes of a binary weights file: header and float32 values (raw bytes may carry NaN payloads). */
export function binaryWeights(rows: number, cols: number, data: Uint8Array, version = 1): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(version, 4);
  header.writeUInt32LE(rows, 8);
  header.writeUInt32LE(cols, 12);
  return Buffer.concat([header, data]);
}
