import { createReadStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { featureId, featureRow } from '../pool/feature-hash.js';
import { parseCommandArgs } from './command-args.js';

export const featuresHelp = `rankd features — hash features the way rankd's lr and fm models index them

Usage: rankd features [--rows N] [--input FILE]

Reads lines of field=value (or numeric feature ids) and prints for each line:
  <line> TAB <feature id> [TAB <row>]

  --rows N       also print the row of a weights table of N rows (N >= 2)
  --input FILE   read FILE instead of stdin

feature id = MurmurHash3_x86_32(UTF-8 bytes of the line, seed 0); a line of
decimal digits below 2^32 is a feature id already. The line is hashed exactly
as written (no trimming). row = 1 + id mod (N - 1); row 0 is the bias.
Blank lines are skipped.

Example:
  printf 'user_city=beijing\\nitem_category=sports\\n' | rankd features --rows 16385
  user_city=beijing	591093154	7587
  item_category=sports	4077027213	16270
`;

const NUMERIC_ID = /^\d+$/;

export async function featuresCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { rows: { type: 'string' }, input: { type: 'string' } });
  const rows = values.rows === undefined ? undefined : rowCount(values.rows);
  const name = values.input ?? 'stdin';
  const input = values.input === undefined ? process.stdin : openInput(values.input);
  const out = new OutputBuffer();
  let line = 0;
  try {
    for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      line++;
      if (text === '') continue;
      const id = idOf(text, `${name}:${line}`);
      await out.write(rows === undefined ? `${text}\t${id}\n` : `${text}\t${id}\t${featureRow(id, rows)}\n`);
    }
  } finally {
    await out.flush();
  }
}

function idOf(text: string, where: string): number {
  if (NUMERIC_ID.test(text)) {
    const n = Number(text);
    if (n > 0xffff_ffff) throw new Error(`${where}: feature id ${text} is above 2^32 − 1`);
    return n;
  }
  const eq = text.indexOf('=');
  if (eq < 0) throw new Error(`${where}: ${JSON.stringify(text)} is neither field=value nor a numeric feature id`);
  if (eq === 0) throw new Error(`${where}: ${JSON.stringify(text)} has an empty field name`);
  return featureId(text);
}

function rowCount(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 2 || n > 0xffff_ffff) throw new Error(`--rows must be a whole number from 2 to 2^32 − 1, got "${raw}"`);
  return n;
}

function openInput(file: string): Readable {
  // Checked up front so a typo is one clear line, not a raw ENOENT from the stream.
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  return createReadStream(file);
}

/** Batches output lines into large writes and honours stdout's back-pressure. */
class OutputBuffer {
  private pending: string[] = [];
  private size = 0;

  async write(s: string): Promise<void> {
    this.pending.push(s);
    this.size += s.length;
    if (this.size >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  }
}
