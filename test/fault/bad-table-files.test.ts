import { readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addGlobalTable } from '../support/global-table.js';
import { type RankdChild, startRankdChild } from '../support/rankd-child.js';
import { binaryWeights } from '../support/weights-binary.js';
import { hasFileOpen } from '../support/open-files.js';
import { waitUntil } from '../support/wait-until.js';
import { faultWork } from './support/fault-work.js';

const WEIGHT_ROWS = 1000;
const weight = (row: number) => row / 4;
/** The first item of the shipped item_category map (2000 entries), and a blacklist entry this test adds. */
const ITEM = '1962998288814449';
const NEW_BLACKLISTED = '777000777';
const BIG_ENTRIES = 1_000_000;

let rankd: RankdChild;
let categoryLines: string[];
let blacklistText: string;

const dataFile = (name: string) => path.join(rankd.configDir, 'data', name);

beforeAll(async () => {
  rankd = await startRankdChild({
    ini: { globaldb: { max_shrink: 0.5, grace_ms: 0 } },
    works: { probe: { module: faultWork('probe') } },
    prepare: (dir) => {
      writeFileSync(path.join(dir, 'data', 'bin_weights.bin'), binaryWeights(WEIGHT_ROWS, 1, weight));
      addGlobalTable(dir, 'bin_weights', { DB_TYPE: 4, DB_FILE_NAME: 'data/bin_weights.bin', FORMAT: 'binary' });
      writeFileSync(path.join(dir, 'data', 'big_set.txt'), '1\n');
      addGlobalTable(dir, 'big_set', { DB_TYPE: 1, DB_FILE_NAME: 'data/big_set.txt' });
    },
  });
  categoryLines = readFileSync(dataFile('item_category.txt'), 'utf8').trimEnd().split('\n');
  expect(categoryLines).toHaveLength(2000);
  blacklistText = readFileSync(dataFile('blacklist.txt'), 'utf8');
  expect(blacklistText).not.toContain(NEW_BLACKLISTED);
});

afterAll(async () => {
  await rankd?.destroy();
});

/** Every test starts from the shipped item_category and blacklist, swapped in. */
beforeEach(async () => {
  writeFileSync(dataFile('item_category.txt'), `${categoryLines.join('\n')}\n`);
  writeFileSync(dataFile('blacklist.txt'), blacklistText);
  await rankd.control.updateGlobal(['item_category', 'blacklist']);
});

/** What the tables hold, as a call sees them now: generation, sizes and one value of each. */
async function served(): Promise<unknown[]> {
  const reads: [string, string][] = [['item_category', ITEM], ['blacklist', NEW_BLACKLISTED], ['bin_weights', '999'], ['big_set', '1']];
  return Promise.all(
    reads.map(async ([table, key]) => {
      const { generation, size, value } = (await rankd.rank.call({ api: 'probe', table, key })) as Record<string, unknown>;
      return { table, generation, size, value };
    }),
  );
}

/** UpdateGlobal must be refused with `reason`, and every table must serve as before, under the same generation. */
async function expectRefused(tables: string[], reason: RegExp): Promise<void> {
  const before = await served();
  const generation = (await rankd.control.status()).generation;
  const error = await rankd.control.updateGlobal(tables).then(
    (reply) => {
      throw new Error(`UpdateGlobal accepted: ${JSON.stringify(reply.changed)}`);
    },
    (e: ServiceError) => e,
  );
  expect(error.code).toBe(status.FAILED_PRECONDITION);
  expect(error.details).toMatch(reason);
  expect((await rankd.control.status()).generation).toBe(generation);
  expect(await served()).toEqual(before);
}

describe('UpdateGlobal with a bad file is refused and the old generation keeps serving', () => {
  it('a binary weights file cut short: refused by its header size', async () => {
    const file = dataFile('bin_weights.bin');
    truncateSync(file, 16 + 700 * 4 + 2);
    await expectRefused(['bin_weights'], /bin_weights\.bin: size 2818 does not match the header: 1000 × 1 float32 need 4016 bytes/);
    expect((await rankd.rank.call({ api: 'probe', table: 'bin_weights', key: 999 })) as object).toMatchObject({ value: [weight(999)] });
    writeFileSync(file, binaryWeights(WEIGHT_ROWS, 1, weight));
  });

  it('a text table cut to its first 30% of lines: refused by max_shrink', async () => {
    writeFileSync(dataFile('item_category.txt'), `${categoryLines.slice(0, 600).join('\n')}\n`);
    await expectRefused(['item_category'], /item_category: 600 entries, down from 2000 — shrinks by more than max_shrink 50%; refused/);
  });

  it('a text table cut in the middle of an id: refused at that line', async () => {
    const text = `${categoryLines.join('\n')}\n`;
    const lineStart = text.indexOf(categoryLines[600]!);
    writeFileSync(dataFile('item_category.txt'), text.slice(0, lineStart + 8));
    await expectRefused(['item_category'], /item_category\.txt:601: missing separator/);
  });

  it('a well-formed file with more than max_shrink fewer entries: refused; within max_shrink: accepted', async () => {
    writeFileSync(dataFile('item_category.txt'), `${categoryLines.slice(0, 999).join('\n')}\n`);
    await expectRefused(['item_category'], /item_category: 999 entries, down from 2000/);
    writeFileSync(dataFile('item_category.txt'), `${categoryLines.slice(0, 1000).join('\n')}\n`);
    const reply = await rankd.control.updateGlobal(['item_category']);
    expect(reply.new_generation).toBe(reply.old_generation + 1);
    expect(await rankd.rank.call({ api: 'probe', table: 'item_category', key: ITEM })).toMatchObject({ generation: reply.new_generation, size: 1000 });
  });

  it('a file deleted before the update: refused, naming the file', async () => {
    unlinkSync(dataFile('item_category.txt'));
    await expectRefused(['item_category'], /item_category\.txt: no such file/);
  });

  it('an update of two tables with one bad file changes neither', async () => {
    writeFileSync(dataFile('blacklist.txt'), `${blacklistText}${NEW_BLACKLISTED}\n`);
    rmSync(dataFile('item_category.txt'));
    await expectRefused(['blacklist', 'item_category'], /item_category\.txt: no such file/);
    expect(await rankd.rank.call({ api: 'probe', table: 'blacklist', key: NEW_BLACKLISTED })).toMatchObject({ value: false });
  });

  it('a file deleted while the loader reads it: loaded whole (an open file stays readable), never in part', async () => {
    const file = dataFile('big_set.txt');
    const ids = Array.from({ length: BIG_ENTRIES }, (_, i) => String(1_000_003 * (i + 1)));
    writeFileSync(file, `${ids.join('\n')}\n`);
    const generation = (await rankd.control.status()).generation;
    const update = rankd.control.updateGlobal(['big_set']);
    await waitUntil('the loader has the file open', () => hasFileOpen(rankd.pid, file), { intervalMs: 1, timeoutMs: 30_000 });
    rmSync(file);
    const reply = await update;
    expect(reply.new_generation).toBe(generation + 1);
    expect(await rankd.rank.call({ api: 'probe', table: 'big_set', key: ids.at(-1) })).toMatchObject({
      generation: reply.new_generation,
      size: BIG_ENTRIES,
      value: true,
    });
  });
});
