import { LineChunks } from './line-chunks.js';
import { LoadError } from './load-error.js';
import type { KvBuilder } from './kv-builder.js';
import type { MapBuilder } from './map-builder.js';
import type { SetBuilder } from './set-builder.js';
import { wideDecimal } from './wide-decimal.js';

/**
 * Reads lab_common_so-style id files into a builder:
 *
 *   set   one id per line
 *   map   id<sep>value, value an unsigned 32-bit integer
 *   kv    id<sep>value, value the rest of the line as bytes
 *
 * Ids are unsigned 64-bit decimal integers. Blank lines (or only spaces and
 * tabs) and lines whose first non-blank character is '#' are skipped; a
 * '\r' before '\n' is dropped. Anything else that is not of that form stops
 * the load with a LoadError naming the line. A repeated id is not an error:
 * the builder keeps the last value.
 *
 * One loop scans each line's bytes once, parsing as it goes, so a file
 * loads at memory speed rather than line-splitting speed.
 */
export type IdFileTarget =
  | { kind: 'set'; builder: SetBuilder }
  | { kind: 'map'; builder: MapBuilder }
  | { kind: 'kv'; builder: KvBuilder };

export type ChunkProgress = (lines: number, bytes: number, totalBytes: number) => void;

const NL = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const HASH = 35;
const ZERO = 48;
const NINE = 57;
const POW10 = new Float64Array([1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]);
const SET = 0;
const MAP = 1;
const KV = 2;

/** The separator as one byte; it cannot be a digit, '#', '\r' or '\n' (lines would be ambiguous). */
export function separatorByte(separator: string): number {
  const c = separator.length === 1 ? separator.charCodeAt(0) : -1;
  if (c < 1 || c > 127 || (c >= ZERO && c <= NINE) || c === HASH || c === CR || c === NL) {
    throw new RangeError(`separator ${JSON.stringify(separator)} must be one ASCII character other than a digit, '#', CR or LF`);
  }
  return c;
}

export function readIdFile(file: string, target: IdFileTarget, separator: string, onChunk?: ChunkProgress): void {
  const sep = target.kind === 'set' ? -1 : separatorByte(separator);
  const mode = target.kind === 'set' ? SET : target.kind === 'map' ? MAP : KV;
  const set = target.kind === 'set' ? target.builder : null;
  const map = target.kind === 'map' ? target.builder : null;
  const kv = target.kind === 'kv' ? target.builder : null;
  const halves = new Uint32Array(2);
  const chunks = new LineChunks(file);
  let line = 0;
  try {
    while (chunks.next()) {
      const buf = chunks.buf;
      const end = chunks.end;
      let p = chunks.start;
      while (p < end) {
        line++;
        const lineStart = p;
        let c = buf[p]!;
        if (c < ZERO || c > NINE) {
          const eol = buf.indexOf(NL, p);
          if (isBlankOrComment(buf, p, eol)) {
            p = eol + 1;
            continue;
          }
          throw new LoadError(file, line, badId(buf, lineStart, sep));
        }
        // Digits go into a small integer nine at a time (integer steps are
        // several times quicker than double ones), groups into a double:
        // exact while below 2^53, and at or above 2^53 whenever the true
        // value is (each step rounds monotonically).
        let v = 0;
        let group = c - ZERO;
        let digits = 1;
        c = buf[++p]!;
        while (c >= ZERO && c <= NINE) {
          if (digits === 9) {
            v = v * 1e9 + group;
            group = 0;
            digits = 0;
          }
          group = group * 10 + (c - ZERO);
          digits++;
          c = buf[++p]!;
        }
        v = v * POW10[digits]! + group;
        let lo: number;
        let hi: number;
        if (v <= 9007199254740991) {
          lo = v >>> 0;
          hi = (v / 4294967296) >>> 0;
        } else if (wideDecimal(buf, lineStart, p, halves)) {
          lo = halves[0]!;
          hi = halves[1]!;
        } else {
          throw new LoadError(file, line, `id ${text(buf, lineStart, p)} is out of range (max 18446744073709551615)`);
        }
        if (mode === SET) {
          if (c === CR) c = buf[++p]!;
          if (c !== NL) throw new LoadError(file, line, badId(buf, lineStart, sep));
          set!.addHalves(lo, hi);
          p++;
        } else if (c !== sep) {
          if (c === NL || (c === CR && buf[p + 1] === NL)) {
            throw new LoadError(file, line, `missing separator ${describeByte(sep)} after the id`);
          }
          throw new LoadError(file, line, badId(buf, lineStart, sep));
        } else if (mode === MAP) {
          const valueStart = ++p;
          let group = 0;
          let digits = 0;
          let value = 0;
          c = buf[p]!;
          while (c >= ZERO && c <= NINE) {
            if (digits === 9) {
              value = value * 1e9 + group;
              group = 0;
              digits = 0;
            }
            group = group * 10 + (c - ZERO);
            digits++;
            c = buf[++p]!;
          }
          value = value * POW10[digits]! + group;
          const valueEnd = p;
          if (c === CR) c = buf[++p]!;
          if (c !== NL || valueEnd === valueStart) {
            throw new LoadError(file, line, `bad value "${token(buf, valueStart, -1)}": expected an unsigned 32-bit integer`);
          }
          if (value > 0xffff_ffff) {
            throw new LoadError(file, line, `value ${text(buf, valueStart, valueEnd)} is out of range (max 4294967295)`);
          }
          map!.addHalves(lo, hi, value);
          p++;
        } else {
          const valueStart = p + 1;
          const eol = buf.indexOf(NL, valueStart);
          kv!.addHalves(lo, hi, buf, valueStart, eol > valueStart && buf[eol - 1] === CR ? eol - 1 : eol);
          p = eol + 1;
        }
      }
      onChunk?.(line, chunks.bytesRead, chunks.totalBytes);
    }
  } finally {
    chunks.close();
  }
}

function isBlankOrComment(buf: Uint8Array, from: number, eol: number): boolean {
  for (let i = from; i < eol; i++) {
    const c = buf[i]!;
    if (c === HASH) return true;
    if (c !== SPACE && c !== TAB && c !== CR) return false;
  }
  return true;
}

function badId(buf: Uint8Array, lineStart: number, sep: number): string {
  return `bad id "${token(buf, lineStart, sep)}": expected an unsigned decimal integer`;
}

/** The text from `from` up to the separator or the end of the line, shortened for a message. */
function token(buf: Uint8Array, from: number, sep: number): string {
  let to = from;
  while (buf[to] !== NL && buf[to] !== sep && to - from < 40) to++;
  if (to > from && buf[to - 1] === CR) to--;
  return text(buf, from, to);
}

function text(buf: Uint8Array, from: number, to: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('utf8');
}

function describeByte(c: number): string {
  return c === TAB ? 'TAB' : c === SPACE ? 'SPACE' : JSON.stringify(String.fromCharCode(c));
}
