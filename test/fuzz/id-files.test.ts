import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyTable, TableSpec } from '../../globaldb/table.js';
import { createTempDir, removeTempDir } from '../support/temp-dir.js';
import { fuzzParams } from './support/fuzz-budget.js';
import { idFileBytes, idTooBig, type IdFileCase, mapValueTooBig, randomIdFile, separator, validIdFile } from './support/id-file-arbitraries.js';
import { type IdFileKind, type IdFileValue, referenceIdFile } from './support/id-file-reference.js';
import { expectRefusedAt, loadedTable, loadHere, loadInThread, type LoadOutcome } from './support/load-outcome.js';

/**
 * Set, map and kv files: every random file loads exactly as the reference
 * reads it, or is refused at the first line the reference refuses, as
 * `file:line: reason`. Thousands of cases go through the loader thread's
 * parser in this thread; a few through loadTable itself.
 */

let dir: string;
beforeAll(() => {
  dir = createTempDir('fuzz-id-files');
});
afterAll(() => removeTempDir(dir));

function write(c: IdFileCase): { spec: TableSpec; bytes: Buffer } {
  const bytes = idFileBytes(c);
  const file = path.join(dir, `${c.kind}.txt`);
  writeFileSync(file, bytes);
  return { spec: { name: c.kind, kind: c.kind, file, separator: c.separator, format: 'auto' }, bytes };
}

function expectAsReference(outcome: LoadOutcome, c: IdFileCase, spec: TableSpec, bytes: Buffer): void {
  const verdict = referenceIdFile(bytes, c.kind, c.separator);
  if (!verdict.ok) {
    expectRefusedAt(outcome, spec.file, verdict.line);
    return;
  }
  expectHolds(loadedTable(outcome), c.kind, verdict.entries);
}

function expectHolds(table: AnyTable, kind: IdFileKind, entries: Map<bigint, IdFileValue>): void {
  expect(table.kind).toBe(kind);
  expect(table.size).toBe(entries.size);
  for (const [id, value] of entries) {
    const got = table.kind === 'set' ? table.has(id) : table.kind === 'map' ? table.get(id) : table.kind === 'kv' ? table.get(id) : undefined;
    const same = value instanceof Buffer ? got instanceof Uint8Array && Buffer.compare(value, got) === 0 : got === value;
    expect(same, `id ${id}: expected ${String(value)}, got ${String(got)}`).toBe(true);
  }
}

describe('random id files load as the reference reads them, or are refused at its line', () => {
  it.each([
    ['set', 'id files: random set files'],
    ['map', 'id files: random map files'],
    ['kv', 'id files: random kv files'],
  ] as const)('%s', (kind, property) => {
    let loaded = 0;
    fc.assert(
      fc.property(randomIdFile(kind), (c) => {
        const { spec, bytes } = write(c);
        const outcome = loadHere(spec);
        expectAsReference(outcome, c, spec, bytes);
        if ('table' in outcome) loaded++;
      }),
      fuzzParams(property),
    );
    // Both sides of the property are exercised: neither all loads nor all refusals.
    const { numRuns } = fuzzParams(property);
    expect(loaded).toBeGreaterThan(numRuns / 5);
    expect(loaded).toBeLessThan(numRuns * 0.9);
  });
});

/** A valid file and one data line changed so that the file must be refused there, with what the reason says. */
type Mutation = { c: IdFileCase; line: number; reason: RegExp };

function mutate(kind: IdFileKind): fc.Arbitrary<Mutation> {
  // Characters that cannot continue an id: not a digit, not '#' (a comment at the start), not '\r' (a CRLF at the end).
  const nonDigit = fc.constantFrom('x', ' ', '\t', '-', '+', '.', '\0', '\u0663', '\ufeff', 'é');
  return separator.chain((sep) =>
    fc
      .tuple(validIdFile(kind, sep, 1), fc.nat(), nonDigit, fc.nat(), idTooBig, mapValueTooBig, fc.nat({ max: 3 }))
      .map(([c, pick, bad, at, bigId, bigValue, how]): Mutation => {
        const dataLines = c.lines.flatMap((l, i) => (/^[0-9]/.test(l.toString('latin1')) ? [i] : []));
        const i = dataLines[pick % dataLines.length]!;
        const text = c.lines[i]!.toString('latin1');
        const id = /^[0-9]+/.exec(text)![0];
        const rest = text.slice(id.length);
        const lines = [...c.lines];
        const set = (s: string, reason: RegExp): Mutation => {
          lines[i] = Buffer.from(s, 'latin1');
          return { c: { ...c, lines }, line: i + 1, reason };
        };
        const withNonDigit = () => {
          if (bad === sep) return set(`${id}x${rest}`, /bad id/);
          const k = at % (id.length + 1);
          return set(id.slice(0, k) + Buffer.from(bad, 'utf8').toString('latin1') + id.slice(k) + rest, /bad id/);
        };
        if (how === 0 || (kind === 'set' && how === 3)) return withNonDigit();
        if (how === 1) return set(bigId + rest, /id \d+ is out of range \(max 18446744073709551615\)/);
        if (kind === 'set') return set(`${id} x`, /bad id/);
        if (how === 2) return set(id, /missing separator/);
        return kind === 'map' ? set(`${id}${sep}${bigValue}`, /value \d+ is out of range \(max 4294967295\)/) : withNonDigit();
      }),
  );
}

describe('targeted mutations are refused at their line with the reason', () => {
  it('a non-digit in an id, an id over 2^64 − 1, a map value over 2^32 − 1, a missing separator', () => {
    const kinds = fc.constantFrom<IdFileKind>('set', 'map', 'kv');
    fc.assert(
      fc.property(kinds.chain(mutate), ({ c, line, reason }) => {
        const { spec } = write(c);
        expect(expectRefusedAt(loadHere(spec), spec.file, line)).toMatch(reason);
      }),
      fuzzParams('id files: mutations that must be refused'),
    );
  });
});

describe('through loadTable (a loader thread), as the server loads', () => {
  it('random set, map and kv files: the same tables, the same located refusals', async () => {
    const kinds = fc.constantFrom<IdFileKind>('set', 'map', 'kv');
    await fc.assert(
      fc.asyncProperty(kinds.chain(randomIdFile), async (c) => {
        const { spec, bytes } = write(c);
        expectAsReference(await loadInThread(spec), c, spec, bytes);
      }),
      fuzzParams('id files: through the loader thread'),
    );
  });
});
