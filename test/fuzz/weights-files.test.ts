import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableSpec } from '../../globaldb/table.js';
import { createTempDir, removeTempDir } from '../support/temp-dir.js';
import { fuzzParams } from './support/fuzz-budget.js';
import { expectRefusedAt, loadedTable, loadHere, loadInThread, type LoadOutcome } from './support/load-outcome.js';
import { badNumberText, joinLines, numberText, randomBinary, randomText, textGrid, type WeightsCase } from './support/weights-arbitraries.js';
import { binaryWeights, referenceWeights } from './support/weights-reference.js';

/**
 * Weights files, text and binary: every random file loads as the reference
 * reads it (same rows, columns and float32 bits), or is refused where the
 * reference refuses it: the line for text, the file (line 0) for binary.
 */

let dir: string;
beforeAll(() => {
  dir = createTempDir('fuzz-weights');
});
afterAll(() => removeTempDir(dir));

function write(c: WeightsCase): TableSpec {
  const file = path.join(dir, 'weights');
  writeFileSync(file, c.bytes);
  return { name: 'weights', kind: 'weights', file, separator: '\t', format: c.format };
}

function expectAsReference(outcome: LoadOutcome, c: WeightsCase, spec: TableSpec): void {
  const verdict = referenceWeights(c.bytes, c.format);
  if (!verdict.ok) {
    expectRefusedAt(outcome, spec.file, verdict.line);
    return;
  }
  const table = loadedTable(outcome);
  if (table.kind !== 'weights') throw new Error(`loaded a ${table.kind} table`);
  expect({ rows: table.rows, cols: table.cols }).toEqual({ rows: verdict.rows, cols: verdict.cols });
  const bits = (f: Float32Array) => Buffer.from(f.buffer, f.byteOffset, f.byteLength);
  expect(bits(table.data).equals(bits(verdict.values)), `values ${[...table.data]} ≠ ${[...verdict.values]}`).toBe(true);
}

function fuzzFormat(cases: fc.Arbitrary<WeightsCase>, property: 'weights: random text files' | 'weights: random binary files') {
  let loaded = 0;
  fc.assert(
    fc.property(cases, (c) => {
      const spec = write(c);
      const outcome = loadHere(spec);
      expectAsReference(outcome, c, spec);
      if ('table' in outcome) loaded++;
    }),
    fuzzParams(property),
  );
  const { numRuns } = fuzzParams(property);
  expect(loaded).toBeGreaterThan(numRuns / 5);
  expect(loaded).toBeLessThan(numRuns * 0.9);
}

describe('random weights files load as the reference reads them, or are refused where it says', () => {
  it('text', () => fuzzFormat(randomText, 'weights: random text files'));
  it('binary', () => fuzzFormat(randomBinary, 'weights: random binary files'));
});

type Mutation = { c: WeightsCase; line: number; reason: RegExp };

/** A valid text file with one token made bad, or one row made ragged: refused at that row's line. */
const textMutation: fc.Arbitrary<Mutation> = fc
  .tuple(textGrid.filter((g) => g.rowLines.length > 0), fc.nat(), fc.oneof(badNumberText, fc.constant('ragged+'), fc.constant('ragged-')), numberText)
  .map(([grid, pick, bad, extra]) => {
    const i = grid.rowLines[pick % grid.rowLines.length]!;
    const lines = [...grid.lines];
    const tokens = lines[i]!.split(/([ \t,]+)/);
    const firstNumber = tokens.findIndex((t) => t !== '' && !/^[ \t,]+$/.test(t));
    let reason: RegExp;
    if (bad === 'ragged+') {
      lines[i] = `${lines[i]} ${extra}`;
      reason = /row has \d+ values, expected \d+ like line \d+/;
    } else if (bad === 'ragged-') {
      tokens[firstNumber] = '';
      lines[i] = tokens.join('');
      // A row with no values left is a blank line, not a row.
      reason = /row has \d+ values, expected \d+ like line \d+/;
    } else {
      tokens[firstNumber] = bad;
      lines[i] = tokens.join('');
      reason = /bad number|out of float32 range/;
    }
    return { c: { bytes: joinLines(lines, false, true), format: 'text' as const }, line: i + 1, reason };
  })
  .filter(({ c, line }) => {
    // Removing the only value of a one-column row leaves a blank line: that is not a mutation that must be refused.
    const verdict = referenceWeights(c.bytes, 'text');
    return !verdict.ok && verdict.line === line;
  });

/** A valid binary file with one thing wrong: refused as a whole (line 0). */
const binaryMutation: fc.Arbitrary<Mutation> = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.nat(), fc.constantFrom(Number.NaN, Infinity, -Infinity))
  .chain(([rows, cols, at, special]) => {
    const good = Float32Array.from({ length: rows * cols }, (_, i) => i / 7);
    const bytes = (data: Float32Array, version = 1, r = rows, c = cols) => binaryWeights(r, c, new Uint8Array(data.buffer), version);
    const withSpecial = Float32Array.from(good);
    withSpecial[at % good.length] = special;
    const full = bytes(good);
    const cases: [Buffer, RegExp][] = [
      [full.subarray(0, -1), /does not match the header/],
      [Buffer.concat([full, Buffer.alloc(4)]), /does not match the header/],
      [bytes(good, 2), /unsupported weights version 2/],
      [bytes(good, 1, rows + 1), /does not match the header/],
      [bytes(good, 1, rows, 2 ** 32 - 1), /does not match the header/],
      [full.subarray(0, 10), /too short/],
      [Buffer.concat([Buffer.from('RKDV'), full.subarray(4)]), /magic/],
      [bytes(withSpecial), /not a finite number/],
    ];
    return fc.constantFrom(...cases).map(([b, reason]) => ({ c: { bytes: b, format: 'binary' as const }, line: 0, reason }));
  });

describe('targeted mutations are refused with a located reason', () => {
  it('a bad number, a float32 overflow, a ragged row (text); size, version, magic, NaN (binary)', () => {
    fc.assert(
      fc.property(fc.oneof(textMutation, binaryMutation), ({ c, line, reason }) => {
        const spec = write(c);
        expect(expectRefusedAt(loadHere(spec), spec.file, line)).toMatch(reason);
      }),
      fuzzParams('weights: mutations that must be refused'),
    );
  });
});

describe('through loadTable (a loader thread), as the server loads', () => {
  it('random text and binary files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(randomText, randomBinary), async (c) => {
        const spec = write(c);
        expectAsReference(await loadInThread(spec), c, spec);
      }),
      fuzzParams('weights: through the loader thread'),
    );
  });
});
