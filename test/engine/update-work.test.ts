import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdFixture, startRankdFixture } from '../support/rankd-fixture.js';

let rankd: RankdFixture;
const helloWork = (v: number) => `export default { call() { return { v: ${v} }; } };\n`;

beforeAll(async () => {
  rankd = await startRankdFixture(
    () => {},
    (configDir) => {
      writeFileSync(path.join(configDir, 'hello.ts'), helloWork(1));
      const ini = path.join(configDir, 'work_config.ini');
      writeFileSync(ini, `${readFileSync(ini, 'utf8').replace('WORKS = example, rank', 'WORKS = example, rank, hello')}\n[hello]\nMODULE = hello.ts\n`);
    },
  );
});

afterAll(async () => {
  await rankd?.stop();
});

const candidates = [{ itemId: 5, featureIds: [1], featureValues: [1] }];

function startLoad(clients: number) {
  let running = true;
  const failures: unknown[] = [];
  let calls = 0;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      try {
        await rankd.rank.rank({ userId: 1, candidates });
        await rankd.rank.call({ api: 'rank', uid: 1, candidates: [{ id: 5, features: { '1': 1 } }] });
        calls += 2;
      } catch (e) {
        failures.push(e);
      }
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { calls, failures };
    },
  };
}

describe('UpdateWork', () => {
  it('changes a work, adds an api and removes one under load with 0 failed calls', async () => {
    expect(await rankd.rank.call({ api: 'hello' })).toEqual({ v: 1 });
    const load = startLoad(4);
    writeFileSync(path.join(rankd.configDir, 'hello.ts'), helloWork(2));
    writeFileSync(path.join(rankd.configDir, 'hello2.ts'), helloWork(3));
    const ini = path.join(rankd.configDir, 'work_config.ini');
    writeFileSync(
      ini,
      `${readFileSync(ini, 'utf8').replace('WORKS = example, rank, hello', 'WORKS = rank, hello, hello2')}\n[hello2]\nMODULE = hello2.ts\n`.replace(
        /\[example\]\nMODULE = [^\n]*\n/,
        '',
      ),
    );
    const reply = await rankd.control.updateWork();
    expect(reply.changed).toEqual(expect.arrayContaining(['work hello2: added', 'work example: removed', 'work hello: reloaded']));
    expect(await rankd.rank.call({ api: 'hello' })).toEqual({ v: 2 });
    expect(await rankd.rank.call({ api: 'hello2' })).toEqual({ v: 3 });
    await expect(rankd.rank.call({ api: 'example' })).rejects.toMatchObject({ code: status.NOT_FOUND });
    const { calls, failures } = await load.stop();
    expect(failures.map((f) => `${(f as { code?: number }).code}: ${(f as Error).message}`)).toEqual([]);
    expect(calls).toBeGreaterThan(0);
  });

  it('refuses a work module that throws on import and keeps the old works serving', async () => {
    const before = await rankd.control.status();
    writeFileSync(path.join(rankd.configDir, 'hello.ts'), `throw new Error('boom at import');\nexport default {};\n`);
    await expect(rankd.control.updateWork()).rejects.toMatchObject({
      code: status.FAILED_PRECONDITION,
      details: expect.stringMatching(/boom at import/),
    });
    expect(await rankd.rank.call({ api: 'hello' })).toEqual({ v: 2 });
    const after = await rankd.control.status();
    expect(after.pool_generation).toBe(before.pool_generation);
    writeFileSync(path.join(rankd.configDir, 'hello.ts'), helloWork(2));
  });

  it('refuses a work config that names a missing file', async () => {
    const ini = path.join(rankd.configDir, 'work_config.ini');
    const good = readFileSync(ini, 'utf8');
    writeFileSync(ini, good.replace('MODULE = hello2.ts', 'MODULE = missing.ts'));
    try {
      await expect(rankd.control.updateWork()).rejects.toMatchObject({
        code: status.FAILED_PRECONDITION,
        details: expect.stringMatching(/\[hello2\] MODULE: no such file/),
      });
    } finally {
      writeFileSync(ini, good);
    }
    expect(await rankd.rank.call({ api: 'hello2' })).toEqual({ v: 3 });
  });
});
