import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { featureId, featureRow, featureRowFast } from '../../src/pool/feature-hash.js';

/** The test-vector table of README "Feature hashing": feature, id, row (for 16385 rows). */
function readmeVectors(): { feature: string; id: number; row: number }[] {
  const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Feature hashing'));
  return [...section.matchAll(/^\| `([^`]+)`[^|]* \| (\d+) \| (\d+) \|$/gm)].map((m) => ({ feature: m[1]!, id: Number(m[2]), row: Number(m[3]) }));
}

function rankdFeatures(args: string[], input: string) {
  const r = spawnSync(process.execPath, [path.join(packageRoot, 'bin/rankd.js'), 'features', ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('feature hashing', () => {
  it('is MurmurHash3 x86 32 with seed 0 (published reference values)', () => {
    expect(featureId('')).toBe(0);
    expect(featureId('hello')).toBe(0x248bfa47);
    expect(featureId('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
  });

  it('maps an id to row 1 + id mod (rows − 1), never row 0', () => {
    expect(featureRow(0, 5)).toBe(1);
    expect(featureRow(3, 5)).toBe(4);
    expect(featureRow(4, 5)).toBe(1);
    expect(featureRow(0xffff_ffff, 16385)).toBe(1 + (0xffff_ffff % 16384));
  });

  it('featureRowFast (no division) equals featureRow for every uint32 id and row count', () => {
    const fast = (id: number, rows: number) => featureRowFast(id, rows - 1, 1 / (rows - 1));
    // Exact multiples and their neighbours are where a quotient estimate can be off by one.
    for (const rows of [2, 3, 5, 16385, 2 ** 20 + 1, 1_000_003, 2 ** 31, 2 ** 32 - 1, 2 ** 32]) {
      const d = rows - 1;
      for (const q of [0, 1, 2, Math.floor(0xffff_ffff / d)]) {
        for (const id of [q * d - 1, q * d, q * d + 1, 0xffff_ffff].filter((x) => x >= 0 && x <= 0xffff_ffff)) {
          expect(fast(id, rows), `id ${id}, rows ${rows}`).toBe(featureRow(id, rows));
        }
      }
    }
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), fc.integer({ min: 2, max: 2 ** 32 }), (id, rows) => fast(id, rows) === featureRow(id, rows)),
      { numRuns: 20_000 },
    );
  });

  it("matches the README's test vectors", () => {
    const vectors = readmeVectors();
    expect(vectors.length).toBeGreaterThanOrEqual(4);
    for (const v of vectors) {
      const id = /^\d+$/.test(v.feature) ? Number(v.feature) : featureId(v.feature);
      expect([v.feature, id, featureRow(id, 16385)]).toEqual([v.feature, v.id, v.row]);
    }
  });
});

describe('rankd features', () => {
  it('prints line, feature id and row for the README vectors, skipping blank lines and CRLF endings', () => {
    const vectors = readmeVectors();
    const input = `${vectors.map((v) => v.feature).join('\r\n')}\n\n`;
    const { status, stdout, stderr } = rankdFeatures(['--rows', '16385'], input);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe(vectors.map((v) => `${v.feature}\t${v.id}\t${v.row}\n`).join(''));
  });

  it('prints ids alone without --rows', () => {
    expect(rankdFeatures([], 'hello=\n').stdout).toBe(`hello=\t${featureId('hello=')}\n`);
  });

  it('refuses a bad line with its line number, in one line on stderr', () => {
    const { status, stderr } = rankdFeatures([], 'a=1\nno equals sign\n');
    expect(status).toBe(1);
    expect(stderr).toBe('rankd: stdin:2: "no equals sign" is neither field=value nor a numeric feature id\n');
  });

  it('refuses bad options and ids above 2^32 − 1', () => {
    expect(rankdFeatures(['--rows', '1'], '').stderr).toMatch(/^rankd: --rows must be a whole number from 2 .*\n$/);
    expect(rankdFeatures(['--input', '/no/such/file'], '').stderr).toBe('rankd: /no/such/file: no such file\n');
    expect(rankdFeatures([], '4294967296\n').stderr).toMatch(/^rankd: stdin:1: feature id 4294967296 is above 2\^32 − 1\n$/);
  });

  it('has --help with an example', () => {
    const { status, stdout } = rankdFeatures(['--help'], '');
    expect(status).toBe(0);
    expect(stdout).toMatch(/Example:\n  printf .* \| rankd features --rows 16385/);
  });
});
