import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadError } from '../../globaldb/load-error.js';
import { loadTable } from '../../globaldb/load-table.js';
import { openTable } from '../../globaldb/open-table.js';
import type { TableSpec, WeightsTable } from '../../globaldb/table.js';
import { buildWeightsTable } from '../../globaldb/weights-table.js';
import { createTempDir, removeTempDir } from '../support/temp-dir.js';

let dir: string;

beforeAll(() => {
  dir = createTempDir('globaldb-weights');
});

afterAll(() => {
  removeTempDir(dir);
});

function spec(name: string, content: string | Buffer, format: TableSpec['format'] = 'auto'): TableSpec {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return { name, kind: 'weights', file, separator: '\t', format };
}

/** The binary format: "RKDW", version, rows, cols (uint32 LE), then float32 LE row-major. */
function binary(rows: number, cols: number, values: number[], version = 1): Buffer {
  const header = Buffer.alloc(16);
  header.write('RKDW', 0, 'latin1');
  header.writeUInt32LE(version, 4);
  header.writeUInt32LE(rows, 8);
  header.writeUInt32LE(cols, 12);
  const data = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => data.writeFloatLE(v, i * 4));
  return Buffer.concat([header, data]);
}

async function weights(s: TableSpec): Promise<WeightsTable> {
  const t = openTable(await loadTable(s));
  if (t.kind !== 'weights') throw new Error(`loaded a ${t.kind}`);
  return t;
}

async function loadError(s: TableSpec): Promise<LoadError> {
  const err = await loadTable(s).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LoadError);
  return err as LoadError;
}

const matrix = [0.5, -1.25, 3, 1e-3, 2.5e10, -0];

describe('weights files', () => {
  it('binary, found by its magic or named', async () => {
    for (const format of ['auto', 'binary'] as const) {
      const t = await weights(spec(`m-${format}.bin`, binary(2, 3, matrix), format));
      expect([t.rows, t.cols, t.size]).toEqual([2, 3, 2]);
      expect([...t.data]).toEqual(matrix.map(Math.fround));
      expect([...t.row(1)]).toEqual(matrix.slice(3).map(Math.fround));
      expect(t.bytes).toBe(24);
    }
  });

  it('text: one row per line, spaces, tabs and commas between numbers', async () => {
    const t = await weights(spec('m.txt', '# model\n0.5 -1.25, 3\n\n1e-3\t2.5e+10 ,-0\r\n'));
    expect([t.rows, t.cols]).toEqual([2, 3]);
    expect([...t.data]).toEqual(matrix.map(Math.fround));
  });

  it('text with one column is a column vector', async () => {
    const t = await weights(spec('col.txt', '1\n2\n3'));
    expect([t.rows, t.cols, [...t.data]]).toEqual([3, 1, [1, 2, 3]]);
  });

  it('refuses a text row of another length, naming the line', async () => {
    const err = await loadError(spec('ragged.txt', '1 2 3\n# c\n4 5\n'));
    expect(err.line).toBe(3);
    expect(err.reason).toMatch(/row has 2 values, expected 3 like line 1/);
  });

  it('refuses a text value that is not a decimal number', async () => {
    for (const bad of ['0x10', 'abc', '1.2.3', 'Infinity', '--1']) {
      const err = await loadError(spec('bad.txt', `1 2\n3 ${bad}\n`));
      expect(err.line).toBe(2);
      expect(err.reason).toMatch(/bad number/);
    }
  });

  it('refuses a binary file whose size does not match its header, or another version', async () => {
    const truncated = binary(2, 3, matrix).subarray(0, 16 + 20);
    let err = await loadError(spec('short.bin', truncated));
    expect(err.line).toBe(0);
    expect(err.reason).toMatch(/does not match the header: 2 × 3 float32 need 40 bytes/);
    err = await loadError(spec('v2.bin', binary(2, 3, matrix, 2)));
    expect(err.reason).toMatch(/unsupported weights version 2/);
    err = await loadError(spec('nomagic.bin', Buffer.from('nope'), 'binary'));
    expect(err.reason).toMatch(/too short|magic/);
  });

  it('can be built in memory', () => {
    const t = buildWeightsTable('w', 2, 2, [1, 2, 3, 4]);
    expect([...t.row(0)]).toEqual([1, 2]);
    expect(() => t.row(2)).toThrow(RangeError);
    expect(() => buildWeightsTable('w', 2, 2, [1])).toThrow(RangeError);
  });
});
