/**
 * The oracle for set, map and kv files: the file format written out plainly
 * (split into lines, regular expressions, BigInt), independent of the byte
 * scanner it checks. globaldb/id-file-reader.ts documents the format:
 *
 *   set   one id per line
 *   map   id<sep>value, value an unsigned 32-bit integer
 *   kv    id<sep>value, value the rest of the line as bytes
 *
 * ids are unsigned 64-bit decimals (leading zeros allowed); lines that are
 * blank (spaces, tabs, CRs) or whose first other character is '#' are
 * skipped; one '\r' before the '\n' is dropped; the last line may lack its
 * '\n'; a repeated id keeps its last value. Anything else is refused at its
 * line (1-based), and the first such line is the one reported.
 */
export type IdFileKind = 'set' | 'map' | 'kv';

export type IdFileValue = true | number | Buffer;

export type IdFileVerdict = { ok: true; entries: Map<bigint, IdFileValue> } | { ok: false; line: number };

const MAX_ID = 2n ** 64n - 1n;
const SKIPPED = /^[ \t\r]*(#|$)/;

export function referenceIdFile(bytes: Buffer, kind: IdFileKind, separator: string): IdFileVerdict {
  const entries = new Map<bigint, IdFileValue>();
  const lines = splitLines(bytes);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (SKIPPED.test(raw.toString('latin1'))) continue;
    const line = raw.at(-1) === 0x0d ? raw.subarray(0, -1) : raw;
    const entry = parseEntry(line, kind, separator);
    if (entry === undefined) return { ok: false, line: i + 1 };
    entries.set(entry[0], entry[1]);
  }
  return { ok: true, entries };
}

function parseEntry(line: Buffer, kind: IdFileKind, separator: string): [bigint, IdFileValue] | undefined {
  const text = line.toString('latin1');
  const digits = /^[0-9]+/.exec(text)?.[0];
  if (digits === undefined || BigInt(digits) > MAX_ID) return undefined;
  const id = BigInt(digits);
  const rest = text.slice(digits.length);
  if (kind === 'set') return rest === '' ? [id, true] : undefined;
  if (!rest.startsWith(separator)) return undefined;
  if (kind === 'kv') return [id, line.subarray(digits.length + 1)];
  const value = rest.slice(1);
  return /^[0-9]+$/.test(value) && BigInt(value) <= 0xffff_ffffn ? [id, Number(value)] : undefined;
}

/** The file's lines without their '\n'; a final '\n' ends the last line rather than starting an empty one. */
function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(0x0a); nl >= 0; nl = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, nl));
    start = nl + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}
