import fc from 'fast-check';
import { binaryWeights, HEADER_BYTES, type WeightsFormat } from './weights-reference.js';

/**
 * Random weights files: text grids with every legal way of writing a number
 * and of separating them, and binary files with headers and sizes that are
 * right or slightly off, sometimes with non-finite values.
 */

export interface WeightsCase {
  bytes: Buffer;
  format: WeightsFormat;
}

const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{1,${max}}$`));

/** A decimal number as the text format allows it, finite as a float32: 7, -0, +.5, 5., 1e-3, 3.4028234e38 … */
export const numberText = fc
  .oneof(
  fc.float({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
  fc
    .tuple(fc.constantFrom('', '+', '-'), digits(6), fc.constantFrom('', '.'), fc.constantFrom('', '1', '25'), fc.constantFrom('', 'e', 'E'), fc.constantFrom('', '+', '-'), digits(2))
    .map(([sign, int, dot, frac, e, esign, exp]) => `${sign}${int}${dot}${dot ? frac : ''}${e ? `${e}${esign}${exp}` : ''}`),
  fc.constantFrom('.5', '-.25', '+0', '-0', '0.', '3.4028234e38', '-3.4028234e38', '1e-45', '1e-400', '007'),
  )
  .filter((text) => Number.isFinite(Math.fround(Number(text))));

/** Tokens that are not numbers the format takes (or not finite as float32). */
export const badNumberText = fc.constantFrom('0x10', 'abc', '1.2.3', 'Infinity', '-Infinity', 'NaN', '--1', '+-1', 'e5', '1e', '.', '-', '1e39', '-3.5e38', '1e400', '1_000', '\u0661', '5#');

const gap = fc.stringMatching(/^[ \t,]{1,3}$/);
const lead = fc.constantFrom('', '', ' ', '\t', ', ');
const blankOrComment = fc.constantFrom('', '  ', '\t,', '# a comment', '  # indented', '#1 2 3', ',,');

function row(values: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(lead, fc.array(gap, { minLength: values.length, maxLength: values.length }), lead)
    .map(([before, gaps, after]) => before + values.map((v, i) => (i === 0 ? v : gaps[i]! + v)).join('') + after);
}

export interface TextGrid {
  /** The file's lines without endings; data rows at `rowLines`. */
  lines: string[];
  rowLines: number[];
}

/** A rectangular text file: rows × cols numbers, blank and comment lines in between. */
export const textGrid: fc.Arbitrary<TextGrid> = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 8 }))
  .chain(([cols, rows]) => fc.array(fc.array(numberText, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }))
  .chain((grid) => fc.tuple(fc.tuple(...grid.map(row)), fc.array(fc.tuple(fc.nat(), blankOrComment), { maxLength: 4 })))
  .map(([rows, extras]) => {
    const lines: { text: string; row: boolean }[] = rows.map((text) => ({ text, row: true }));
    for (const [at, text] of extras) lines.splice(at % (lines.length + 1), 0, { text, row: false });
    return { lines: lines.map((l) => l.text), rowLines: lines.flatMap((l, i) => (l.row ? [i] : [])) };
  });

/** Lines joined with LF or CRLF, with or without a final newline. */
export function joinLines(lines: string[], crlf: boolean, finalNewline: boolean): Buffer {
  const eol = crlf ? '\r\n' : '\n';
  return Buffer.from(lines.join(eol) + (finalNewline && lines.length > 0 ? eol : ''), 'latin1');
}

const noiseToken = fc.oneof(badNumberText, fc.string({ unit: 'binary-ascii', maxLength: 6 }));

/** A text grid, with — half the time — a few tokens replaced by noise or a row made longer or shorter. */
export const randomText: fc.Arbitrary<WeightsCase> = fc
  .tuple(textGrid, fc.array(fc.tuple(fc.nat(), noiseToken), { maxLength: 3 }), fc.boolean(), fc.boolean(), fc.constantFrom<WeightsFormat>('auto', 'auto', 'text'))
  .map(([grid, noise, crlf, finalNewline, format]) => {
    const lines = [...grid.lines];
    for (const [at, token] of noise) {
      const i = at % (lines.length + 1);
      if (i === lines.length) lines.push(token);
      else lines[i] = `${lines[i]} ${token.replaceAll(/[\r\n]/g, '')}`;
    }
    return { bytes: joinLines(lines, crlf, finalNewline), format };
  });

/** Float32 bytes: finite values, or (sometimes) raw bytes that may be NaN or infinite. */
function float32Bytes(count: number): fc.Arbitrary<Uint8Array> {
  const finite = fc
    .array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: count, maxLength: count })
    .map((v) => new Uint8Array(Float32Array.from(v).buffer));
  const special = fc
    .tuple(finite, fc.nat(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY))
    .map(([bytes, at, v]) => {
      if (count === 0) return bytes;
      const out = new Float32Array(bytes.slice().buffer);
      out[at % count] = v;
      return new Uint8Array(out.buffer);
    });
  return fc.oneof({ weight: 4, arbitrary: finite }, { weight: 1, arbitrary: special }, { weight: 1, arbitrary: fc.uint8Array({ minLength: count * 4, maxLength: count * 4 }) });
}

/** A binary file: right, or with one thing off (size, version, magic, a header cut short). */
export const randomBinary: fc.Arbitrary<WeightsCase> = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }))
  .chain(([rows, cols]) =>
    fc.tuple(
      fc.constant(rows),
      fc.constant(cols),
      float32Bytes(rows * cols),
      fc.oneof(
        { weight: 3, arbitrary: fc.constant('none') },
        fc.constantFrom('drop last byte', 'extra byte', 'version 2', 'version 0', 'rows + 1', 'cols + 1', 'rows max', 'magic', 'cut header'),
      ),
      fc.constantFrom<WeightsFormat>('auto', 'auto', 'binary'),
    ),
  )
  .map(([rows, cols, data, change, format]) => {
    const r = change === 'rows + 1' ? rows + 1 : change === 'rows max' ? 2 ** 32 - 1 : rows;
    const c = change === 'cols + 1' ? cols + 1 : cols;
    const version = change === 'version 2' ? 2 : change === 'version 0' ? 0 : 1;
    let bytes = binaryWeights(r, c, data, version);
    if (change === 'drop last byte') bytes = bytes.subarray(0, -1);
    if (change === 'extra byte') bytes = Buffer.concat([bytes, Buffer.from([0])]);
    if (change === 'magic') bytes[3] = 0x77;
    if (change === 'cut header') bytes = bytes.subarray(0, HEADER_BYTES - 1);
    return { bytes, format };
  });
