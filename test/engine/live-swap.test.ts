import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlClient } from '../support/rankd-client.js';
import { type RankdFixture, startRankdFixture } from '../support/rankd-fixture.js';

let rankd: RankdFixture;
const WATCHED = 987_654_321; // an item the test adds to and removes from the blacklist

beforeAll(async () => {
  rankd = await startRankdFixture((c) => {
    c.globaldb.graceMs = 50;
  });
});

afterAll(async () => {
  await rankd?.stop();
});

const blacklistFile = () => path.join(rankd.configDir, 'data', 'blacklist.txt');
const candidates = [
  { itemId: WATCHED, featureIds: [1, 2], featureValues: [1, 1] },
  { itemId: 42, featureIds: [3], featureValues: [1] },
];

/** Clients calling Rank without pause until stopped; counts failures and checks generations never go back. */
function startLoad(clients: number, api?: string) {
  let running = true;
  const failures: unknown[] = [];
  let calls = 0;
  let backwards = 0;
  const loops = Array.from({ length: clients }, async () => {
    let last = 0;
    while (running) {
      try {
        const reply = await rankd.rank.rank({ api, userId: 12345, candidates });
        const g = Number(reply.generation);
        if (g < last) backwards++;
        last = g;
        calls++;
      } catch (e) {
        failures.push(e);
      }
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { calls, failures, backwards };
    },
  };
}

async function watchedIsServed(): Promise<boolean> {
  const reply = await rankd.rank.rank({ userId: 12345, candidates });
  return reply.items.some((i) => Number(i.itemId) === WATCHED);
}

describe('UpdateGlobal', () => {
  it('swaps 20 times under load from 4 clients with 0 failed calls, and later calls see the new data', async () => {
    const original = readFileSync(blacklistFile(), 'utf8');
    const load = startLoad(4);
    for (let i = 0; i < 20; i++) {
      const blacklist = i % 2 === 0 ? `${original}${WATCHED}\n` : original;
      writeFileSync(blacklistFile(), blacklist);
      const reply = await rankd.control.updateGlobal(['blacklist']);
      expect(reply.new_generation).toBe(reply.old_generation + 1);
      // A call that starts after UpdateGlobal returned sees the new generation's data.
      const after = await rankd.rank.rank({ userId: 12345, candidates });
      expect(Number(after.generation)).toBeGreaterThanOrEqual(reply.new_generation);
      expect(await watchedIsServed()).toBe(i % 2 !== 0);
    }
    const { calls, failures, backwards } = await load.stop();
    expect(failures).toEqual([]);
    expect(backwards).toBe(0);
    expect(calls).toBeGreaterThan(20);
  });

  it('refuses a corrupt data file with its line number and keeps serving the old generation', async () => {
    const before = await rankd.control.status();
    const good = readFileSync(blacklistFile(), 'utf8');
    const servedBefore = await watchedIsServed();
    writeFileSync(blacklistFile(), `${good}not-an-id\n`);
    try {
      await expect(rankd.control.updateGlobal()).rejects.toMatchObject({
        code: status.FAILED_PRECONDITION,
        details: expect.stringMatching(/blacklist\.txt:\d+: /),
      });
    } finally {
      writeFileSync(blacklistFile(), good);
    }
    const after = await rankd.control.status();
    expect(after.generation).toBe(before.generation);
    expect(await watchedIsServed()).toBe(servedBefore);
  });

  it('refuses a table that shrinks by more than max_shrink', async () => {
    const file = path.join(rankd.configDir, 'data', 'item_category.txt');
    const good = readFileSync(file, 'utf8');
    const lines = good.split('\n').filter((l) => /^\d/.test(l));
    writeFileSync(file, `${lines.slice(0, Math.floor(lines.length / 4)).join('\n')}\n`);
    try {
      await expect(rankd.control.updateGlobal(['item_category'])).rejects.toMatchObject({
        code: status.FAILED_PRECONDITION,
        details: expect.stringMatching(/item_category.*max_shrink/),
      });
    } finally {
      writeFileSync(file, good);
    }
  });

  it('names an unknown table', async () => {
    await expect(rankd.control.updateGlobal(['no_such_table'])).rejects.toMatchObject({
      code: status.NOT_FOUND,
      details: expect.stringMatching(/no_such_table/),
    });
  });

  it('loads a table newly added to the config', async () => {
    const extra = path.join(rankd.configDir, 'data', 'extra.txt');
    writeFileSync(extra, '1\n2\n3\n');
    appendFileSync(path.join(rankd.configDir, 'global_db_config.ini'), '\n[extra]\nDB_TYPE = 1\nDB_FILE_NAME = data/extra.txt\n');
    const ini = path.join(rankd.configDir, 'global_db_config.ini');
    writeFileSync(ini, readFileSync(ini, 'utf8').replace(/^(DBS_NAME\s*=\s*.*)$/m, '$1,extra'));
    const reply = await rankd.control.updateGlobal();
    expect(reply.changed.join('\n')).toMatch(/extra: 3 entries.*\(new\)/);
    const s = await rankd.control.status();
    expect(s.tables.find((t) => t.name === 'extra')).toMatchObject({ kind: 'set', size: 3 });
  });

  it('runs one update at a time: a concurrent one gets ABORTED', async () => {
    const results = await Promise.allSettled([rankd.control.updateGlobal(), rankd.control.updateGlobal()]);
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toMatchObject({ code: status.ABORTED, details: expect.stringMatching(/already running/) });
  });
});

describe('control authentication', () => {
  it('refuses calls without the token or with a wrong one', async () => {
    for (const token of [undefined, 'wrong-token']) {
      const c = controlClient(`127.0.0.1:${rankd.server.controlPort}`, token);
      await expect(c.status()).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
      await expect(c.updateGlobal()).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
      c.close();
    }
  });
});
