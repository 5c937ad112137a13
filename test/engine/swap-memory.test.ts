import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdFixture, startRankdFixture } from '../support/rankd-fixture.js';
import { waitUntil } from '../support/wait-until.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let rankd: RankdFixture;
const ENTRIES = 1_000_000;

beforeAll(async () => {
  rankd = await startRankdFixture(
    (c) => {
      c.globaldb.graceMs = 0;
    },
    (configDir) => {
      const lines: string[] = [];
      for (let i = 0; i < ENTRIES; i++) lines.push(`${1_000_000_007 * (i + 1)}\t${i & 0xffff}`);
      writeFileSync(path.join(configDir, 'data', 'big_map.txt'), `${lines.join('\n')}\n`);
      const ini = path.join(configDir, 'global_db_config.ini');
      writeFileSync(
        ini,
        `${readFileSync(ini, 'utf8').replace(/^(DBS_NAME\s*=.*)$/m, '$1,big_map')}\n[big_map]\nDB_TYPE=2\nDB_FILE_NAME=data/big_map.txt\n`,
      );
    },
  );
});

afterAll(async () => {
  await rankd?.stop();
});

const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

/** Memory that only the shared tables can account for: resident set size after a GC here. */
function rss(): number {
  gc();
  return process.memoryUsage().rss;
}

describe('swap memory', () => {
  it('after 20 swaps of a 1M-entry table and a GC, the table holds at most 3 versions and the process no more', async () => {
    const bigMap = async () => (await rankd.control.status()).tables.find((t) => t.name === 'big_map')!;
    const tableBytes = (await bigMap()).bytes;
    expect(tableBytes).toBeGreaterThan(8 * ENTRIES);
    // Keep the pool threads busy so every thread rebinds after each swap.
    const load = async () => rankd.rank.rank({ userId: 1, candidates: [{ itemId: 5, featureIds: [1], featureValues: [1] }] });
    const swap = async () => {
      await rankd.control.updateGlobal(['big_map']);
      await Promise.all([load(), load(), load(), load()]);
    };
    // Two swaps first, so that the baseline already holds the spares steady swaps reuse.
    for (let i = 0; i < 2; i++) await swap();
    await rankd.server.global.retired();
    const before = rss();
    for (let i = 0; i < 20; i++) await swap();
    await rankd.server.global.retired();
    const held = (await bigMap()).held_bytes;
    // What the server holds for the table: the live version and at most two spares.
    expect(held).toBeLessThanOrEqual(3 * tableBytes);
    // What it let go of is really gone, once the idle pool threads have collected their
    // wrappers: 20 swaps that leaked would add 20 tables.
    let after = rss();
    await waitUntil(
      `rss back within one table of ${mib(before)} (now ${mib(after)})`,
      () => (after = rss()) - before <= tableBytes,
      { timeoutMs: 30_000, intervalMs: 200 },
    ).catch(() => {}); // the expect below fails with the figures
    process.stderr.write(`swap memory: table ${mib(tableBytes)}, held ${mib(held)}, rss ${mib(before)} → ${mib(after)}\n`);
    expect(after - before).toBeLessThanOrEqual(tableBytes);
  });
});
