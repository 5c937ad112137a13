import { appendFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineChunks } from '../../globaldb/line-chunks.js';
import { LoadError } from '../../globaldb/load-error.js';
import { loadTable } from '../../globaldb/load-table.js';
import { openTable } from '../../globaldb/open-table.js';
import type { LoadProgress, TableKind, TableSpec } from '../../globaldb/table.js';
import { createTempDir, removeTempDir } from '../support/temp-dir.js';

let dir: string;

beforeAll(() => {
  dir = createTempDir('globaldb-loader');
});

afterAll(() => {
  removeTempDir(dir);
});

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

function spec(kind: TableKind, filePath: string, separator = '\t'): TableSpec {
  return { name: path.basename(filePath), kind, file: filePath, separator, format: 'auto' };
}

async function loadError(s: TableSpec): Promise<LoadError> {
  const err = await loadTable(s).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LoadError);
  return err as LoadError;
}

describe('loading set, map and kv files in a loader thread', () => {
  it('reads ids at the edges, skips blanks and comments, tolerates CRLF and a missing last newline', async () => {
    const f = file('edges.map', '# a comment\n0\t7\r\n\n   \n  # indented comment\n18446744073709551615\t4294967295\r\n9007199254740992\t1\n4294967296\t2');
    const t = openTable(await loadTable(spec('map', f)));
    expect(t.kind).toBe('map');
    if (t.kind !== 'map') return;
    expect(t.size).toBe(4);
    expect(t.get(0)).toBe(7);
    expect(t.get(2n ** 64n - 1n)).toBe(4294967295);
    expect(t.get(2n ** 53n)).toBe(1);
    expect(t.get(2 ** 32)).toBe(2);
  });

  it('keeps the last value of a repeated id', async () => {
    const t = openTable(await loadTable(spec('map', file('dup.map', '5\t1\n6\t2\n5\t3\n'))));
    if (t.kind !== 'map') throw new Error('not a map');
    expect(t.size).toBe(2);
    expect(t.get(5)).toBe(3);
    const kv = openTable(await loadTable(spec('kv', file('dup.kv', '5\tfirst\n5\tsecond\n'))));
    if (kv.kind !== 'kv') throw new Error('not kv');
    expect(kv.getString(5)).toBe('second');
    expect(kv.bytes).toBeLessThan(200); // the overwritten value is not kept
  });

  it('uses the configured separator; a kv value is the rest of the line', async () => {
    const m = openTable(await loadTable(spec('map', file('comma.map', '1,10\n2,20\n'), ',')));
    if (m.kind !== 'map') throw new Error('not a map');
    expect([m.get(1), m.get(2)]).toEqual([10, 20]);
    const kv = openTable(await loadTable(spec('kv', file('space.kv', '1 a b\tc\r\n2 \n3 {"x": 1}\n'), ' ')));
    if (kv.kind !== 'kv') throw new Error('not kv');
    expect([kv.getString(1), kv.getString(2), kv.getString(3)]).toEqual(['a b\tc', '', '{"x": 1}']);
  });

  it('a set file is one id per line', async () => {
    const s = openTable(await loadTable(spec('set', file('ids.set', '3\n1\n2\n\n# c\n3\n'))));
    if (s.kind !== 'set') throw new Error('not a set');
    expect(s.size).toBe(3);
    expect([s.has(1), s.has(2), s.has(3), s.has(4)]).toEqual([true, true, true, false]);
  });

  it('kv values of 1 MiB and more (longer than a read chunk) come back byte for byte', async () => {
    const mib = 1 << 20;
    const values = [mib, mib + 1, 5 * mib, 3].map((n, k) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = 32 + ((i * 7 + k) % 90); // printable, never '\n'
      return b;
    });
    const lines = values.map((v, k) => Buffer.concat([Buffer.from(`${k + 1}\t`), v, Buffer.from('\n')]));
    const t = openTable(await loadTable(spec('kv', file('big.kv', Buffer.concat(lines)))));
    if (t.kind !== 'kv') throw new Error('not kv');
    values.forEach((v, k) => {
      const got = t.get(k + 1)!;
      expect(got.length).toBe(v.length);
      expect(Buffer.compare(Buffer.from(got.buffer, got.byteOffset, got.length), v)).toBe(0);
    });
  });

  it('reports progress as it goes, ending with the whole file', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 700_000; i++) lines.push(`${1_000_000_000_000 + i * 7919}\t${i}`);
    const f = file('progress.map', `${lines.join('\n')}\n`);
    const size = statSync(f).size;
    expect(size).toBeGreaterThan(12 << 20); // several read chunks
    const events: LoadProgress[] = [];
    const image = await loadTable(spec('map', f), (p) => events.push(p));
    expect(image.size).toBe(700_000);
    expect(events.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.bytes).toBeGreaterThanOrEqual(events[i - 1]!.bytes);
      expect(events[i]!.lines).toBeGreaterThanOrEqual(events[i - 1]!.lines);
    }
    expect(events.at(-1)).toEqual({ table: 'progress.map', lines: 700_000, bytes: size, totalBytes: size });
  });
});

describe('a bad file stops the load with file:line: reason', () => {
  const cases: [string, TableKind, string, number, RegExp][] = [
    ['malformed line', 'map', '1\t2\nhello world\n3\t4\n', 2, /bad id "hello world"/],
    ['non-digit id', 'map', '1\t2\n\n12x\t4\n', 3, /bad id "12x"/],
    ['negative id', 'set', '1\n-5\n', 2, /bad id "-5"/],
    ['id above 2^64-1', 'map', '# c\n18446744073709551616\t1\n', 2, /id 18446744073709551616 is out of range/],
    ['very long id', 'set', '1\n2\n3\n123456789012345678901234567890\n', 4, /out of range/],
    ['value above 2^32-1', 'map', '1\t4294967295\n2\t4294967296\n', 2, /value 4294967296 is out of range/],
    ['non-digit value', 'map', '1\t2\n2\t3x\n', 2, /bad value "3x"/],
    ['empty value', 'map', '1\t\n', 1, /bad value ""/],
    ['missing separator in a map', 'map', '1\t2\n2\r\n', 2, /missing separator TAB/],
    ['missing separator in kv', 'kv', '1\ta\n2\tb\n3\n', 3, /missing separator TAB/],
    ['wrong separator', 'map', '1\t2\n2,3\n', 2, /bad id "2,3"/],
    ['space after a set id', 'set', '1\n2 \n', 2, /bad id "2 "/],
  ];
  for (const [what, kind, content, line, reason] of cases) {
    it(`${what}: line ${line}`, async () => {
      const f = file(`bad-${what.replaceAll(/\W+/g, '-')}.txt`, content);
      const err = await loadError(spec(kind, f));
      expect(err.file).toBe(f);
      expect(err.line).toBe(line);
      expect(err.reason).toMatch(reason);
      expect(err.message).toBe(`${f}:${line}: ${err.reason}`);
    });
  }

  it('a missing file', async () => {
    const f = path.join(dir, 'no-such-file.txt');
    const err = await loadError(spec('map', f));
    expect(err.line).toBe(0);
    expect(err.message).toBe(`${f}: no such file`);
  });

  it('a directory', async () => {
    const err = await loadError(spec('set', dir));
    expect(err.message).toMatch(/not a regular file/);
  });

  // The reader is driven by hand so the change lands between two reads, deterministically.
  for (const [what, change] of [
    ['truncated', (f: string) => truncateSync(f, 100)],
    ['appended to', (f: string) => appendFileSync(f, '7\t8\n')],
  ] as const) {
    it(`a file ${what} while it is read`, () => {
      const f = file(`changing-${what.replaceAll(' ', '-')}.map`, '1\t2\n'.repeat(1000));
      const chunks = new LineChunks(f, 64);
      try {
        expect(chunks.next()).toBe(true);
        change(f);
        let err: unknown;
        try {
          while (chunks.next());
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(LoadError);
        expect((err as LoadError).line).toBe(0);
        expect((err as LoadError).reason).toMatch(/^file changed while it was read: \d+ bytes read, its size was 4000 when opened$/);
      } finally {
        chunks.close();
      }
    });
  }

  it('a separator that cannot work', async () => {
    const f = file('sep.map', '1\t2\n');
    for (const sep of ['', '\t\t', '5', '\n']) {
      const err = await loadError(spec('map', f, sep));
      expect(err.message).toMatch(/separator/);
    }
  });
});
