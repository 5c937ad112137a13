import fc from 'fast-check';
import { UINT64_EDGES } from '../../rpc/request-model.js';
import type { IdFileKind } from './id-file-reference.js';

/**
 * Random set, map and kv files: lines that are valid, skipped (blank,
 * comments) or near misses, with LF or CRLF endings and sometimes no final
 * newline. Each file also says which separator it was written for.
 */

export interface IdFileCase {
  kind: IdFileKind;
  separator: string;
  /** Lines without their ending. */
  lines: Buffer[];
  /** Ending per line ('\n' or '\r\n'); the last may be '' (no final newline). */
  endings: string[];
}

export function idFileBytes(c: Pick<IdFileCase, 'lines' | 'endings'>): Buffer {
  return Buffer.concat(c.lines.flatMap((line, i) => [line, Buffer.from(c.endings[i]!, 'latin1')]));
}

/** Separators the loader takes: one ASCII character other than a digit, '#', CR or LF. */
export const separator = fc.constantFrom('\t', ',', ' ', '|', ':', ';', '=', '\x01', '\x7f', 'a', '-', '.');

const MAX_ID = 2n ** 64n - 1n;
const zeros = fc.nat({ max: 25 }).map((n) => '0'.repeat(n));

/** Decimal text of a valid id: edges, small, any uint64, sometimes with leading zeros. */
export const idText = fc
  .tuple(
    fc.oneof(fc.constantFrom(...UINT64_EDGES), fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: MAX_ID })),
    fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: zeros }),
  )
  .map(([id, pad]) => pad + id.toString());

/** Decimal text of an id above 2^64 − 1. */
export const idTooBig = fc.oneof(
  fc.bigInt({ min: MAX_ID + 1n, max: 2n ** 80n }).map(String),
  fc.stringMatching(/^[1-9][0-9]{20,60}$/),
);

const uint32Edges = [0, 1, 9, 10, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
const mapValueText = fc
  .tuple(fc.oneof(fc.constantFrom(...uint32Edges), fc.nat({ max: 2 ** 32 - 1 })), fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: zeros }))
  .map(([v, pad]) => pad + String(v));

/** Decimal text of a map value above 2^32 − 1 (or far above: hundreds of digits). */
export const mapValueTooBig = fc.oneof(
  fc.bigInt({ min: 2n ** 32n, max: 2n ** 70n }).map(String),
  fc.stringMatching(/^[1-9][0-9]{10,400}$/).filter((s) => BigInt(s) > 0xffff_ffffn),
);

/** Bytes of a line: anything but '\n'. */
const lineBytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b.filter((x) => x !== 0x0a)));

/** A kv value: printable text, JSON-ish text, or raw bytes (never '\n'). */
const kvValue = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => Buffer.from(s.replaceAll('\n', ' '), 'utf8')),
  fc.json({ maxDepth: 2 }).map((s) => Buffer.from(s.replaceAll('\n', ' '), 'utf8')),
  lineBytes(40),
);

export function validLine(kind: IdFileKind, sep: string): fc.Arbitrary<Buffer> {
  switch (kind) {
    case 'set':
      return idText.map((id) => Buffer.from(id, 'latin1'));
    case 'map':
      return fc.tuple(idText, mapValueText).map(([id, v]) => Buffer.from(`${id}${sep}${v}`, 'latin1'));
    case 'kv':
      return fc.tuple(idText, kvValue).map(([id, v]) => Buffer.concat([Buffer.from(id + sep, 'latin1'), v]));
  }
}

/** Lines the loader skips: blank (spaces, tabs, a CR) or comments. */
export const skippedLine = fc
  .oneof(
    fc.constantFrom('', ' ', '\t', '  \t ', '\r', ' \r'),
    fc.tuple(fc.constantFrom('', ' ', '\t', ' \t'), fc.string({ maxLength: 20 })).map(([lead, text]) => `${lead}#${text.replaceAll('\n', ' ')}`),
  )
  .map((s) => Buffer.from(s, 'utf8'));

/** A line that is likely, not certainly, wrong: random bytes, or a valid line with one thing off. */
export function noiseLine(kind: IdFileKind, sep: string): fc.Arbitrary<Buffer> {
  const near = fc.oneof(
    fc.tuple(idTooBig, mapValueText).map(([id, v]) => (kind === 'set' ? id : `${id}${sep}${v}`)),
    fc.tuple(idText, mapValueTooBig).map(([id, v]) => `${id}${sep}${v}`),
    idText,
    fc.tuple(idText, fc.constantFrom(' ', '\t', 'x', '\r\r', sep + sep, sep, '-', '+1', '\u0663', '\0'), idText).map(([a, mid, b]) => a + mid + b),
    fc.tuple(fc.constantFrom(' ', '-', '+', 'x', '\u0663', '\ufeff', '\0'), idText).map(([lead, id]) => lead + id),
  );
  return fc.oneof(
    near.map((s) => Buffer.from(s, 'utf8')),
    lineBytes(30),
    fc.string({ unit: 'binary', maxLength: 30 }).map((s) => Buffer.from(s.replaceAll('\n', ''), 'utf8')),
  );
}

const ending: fc.Arbitrary<string> = fc.constantFrom('\n', '\n', '\n', '\r\n');

/** Valid and skipped lines only: a file the loader must take. */
export function validIdFile(kind: IdFileKind, sep: string, minDataLines = 0): fc.Arbitrary<IdFileCase> {
  const line = fc.oneof({ weight: 4, arbitrary: validLine(kind, sep) }, { weight: 1, arbitrary: skippedLine });
  return fc
    .tuple(fc.array(line, { maxLength: 20 }), fc.array(validLine(kind, sep), { minLength: minDataLines, maxLength: minDataLines }), fc.boolean())
    .chain(([mixed, data, lastNewline]) => {
      const lines = [...data, ...mixed];
      return fc
        .tuple(fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }), fc.array(ending, { minLength: lines.length, maxLength: lines.length }))
        .map(([shuffled, endings]) => {
          if (!lastNewline && endings.length > 0) endings[endings.length - 1] = '';
          return { kind, separator: sep, lines: shuffled, endings };
        });
    });
}

/** A file of valid and skipped lines with, half the time, one to three noise lines put in among them. */
export function randomIdFile(kind: IdFileKind): fc.Arbitrary<IdFileCase> {
  return separator.chain((sep) =>
    fc
      .tuple(validIdFile(kind, sep), fc.array(fc.tuple(fc.nat(), noiseLine(kind, sep), ending), { maxLength: 3 }), fc.boolean())
      .map(([file, noise, withNoise]) => {
        const lines = [...file.lines];
        const endings = [...file.endings];
        const lastNewline = endings.at(-1) !== '';
        for (const [at, line, end] of withNoise ? noise : []) {
          const i = at % (lines.length + 1);
          lines.splice(i, 0, line);
          endings.splice(i, 0, end);
        }
        // Only the last line may lack its newline.
        endings.forEach((e, i) => (endings[i] = e === '' ? '\n' : e));
        if (!lastNewline && endings.length > 0) endings[endings.length - 1] = '';
        return { ...file, lines, endings };
      }),
  );
}
