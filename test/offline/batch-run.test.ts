import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { runBatch } from '../../src/offline/batch-run.js';
import { copyConfig, type RankdFixture, startRankdFixture } from '../support/rankd-fixture.js';
import { waitUntil } from '../support/wait-until.js';

const rankd = path.join(packageRoot, 'bin', 'rankd.js');
const template = '{"api":"rank","uid":"{key}","top_k":5}';
let dirs: { root: string; configDir: string };

beforeAll(() => {
  dirs = copyConfig();
});

afterAll(() => {
  rmSync(dirs.root, { recursive: true, force: true });
});

const file = (name: string) => path.join(dirs.root, name);
const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => l !== '');
const keysOf = (f: string) => lines(f).map((l) => (JSON.parse(l) as { key: string }).key);

function writeKeys(name: string, n: number, start = 1): string[] {
  const keys = Array.from({ length: n }, (_, i) => String(start + i * 7919));
  writeFileSync(file(name), `${keys.join('\n')}\n`);
  return keys;
}

function cli(args: string[]) {
  return spawnSync(process.execPath, [rankd, ...args], { encoding: 'utf8', cwd: dirs.root });
}

describe('rankd run', () => {
  let server: RankdFixture;

  afterAll(async () => {
    await server?.stop();
  });

  it('over 100,000 keys writes every key in input order, matching the server replies', async () => {
    const keys = writeKeys('keys.txt', 100_000);
    const quiet: string[] = [];
    const summary = await runBatch({
      configDir: dirs.configDir,
      input: file('keys.txt'),
      template,
      out: file('out.jsonl'),
      resume: false,
      tty: false,
      threads: 2,
      deadlineMs: 30_000,
      report: (s) => quiet.push(s),
    });
    expect(summary).toMatchObject({ done: 100_000, failed: 0, skipped: 0 });
    expect(keysOf(file('out.jsonl'))).toEqual(keys);
    expect(quiet.at(-1)).toMatch(/^done: 100000 keys, 0 failed/);

    server = await startRankdFixture();
    const out = lines(file('out.jsonl'));
    for (const i of [0, 1, 17, 4242, 50_000, 99_999]) {
      const { key, response } = JSON.parse(out[i]!) as { key: string; response: unknown };
      expect(response).toEqual(await server.rank.call(JSON.parse(template.replace('{key}', key))));
    }
  });

  it('--resume after a kill mid-run completes without duplicates or gaps', async () => {
    const keys = writeKeys('resume-keys.txt', 20_000, 3);
    const args = ['run', '--config', dirs.configDir, '--input', file('resume-keys.txt'), '--template', template, '--out', file('resume.jsonl'), '--threads', '1'];
    const child = spawn(process.execPath, [rankd, ...args], { stdio: 'ignore' });
    await waitUntil('rankd run to write part of its output', () => existsSync(file('resume.jsonl')) && statSync(file('resume.jsonl')).size > 50_000, { timeoutMs: 60_000 });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const partial = readFileSync(file('resume.jsonl'), 'utf8').split('\n').length - 1;
    expect(partial).toBeLessThan(keys.length);
    const resumed = cli([...args, '--resume']);
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toMatch(/skipped/);
    expect(keysOf(file('resume.jsonl'))).toEqual(keys);
  });

  it('puts failing keys in --errors and exits 1', () => {
    writeFileSync(file('mixed.txt'), '11\nnot-a-uid\n12\n');
    const r = cli(['run', '--config', dirs.configDir, '--input', file('mixed.txt'), '--template', template, '--out', file('mixed.jsonl'), '--errors', file('errors.jsonl')]);
    expect(r.status).toBe(1);
    expect(keysOf(file('mixed.jsonl'))).toEqual(['11', '12']);
    const errors = lines(file('errors.jsonl')).map((l) => JSON.parse(l) as { key: string; code: string; message: string });
    expect(errors).toEqual([{ key: 'not-a-uid', code: 'INVALID_ARGUMENT', message: expect.stringMatching(/uid/) }]);
  });

  it('without a template, runs JSON-line requests named by their "key" field or line number', async () => {
    const requests = ['{"api":"rank","uid":"11","top_k":3,"key":"a"}', '', '{"api":"rank","uid":"12","top_k":3}', '{not json', '{"api":"rank","uid":"13","top_k":2,"key":7}'];
    writeFileSync(file('requests.jsonl'), `${requests.join('\n')}\n`);
    const summary = await runBatch({
      configDir: dirs.configDir,
      input: file('requests.jsonl'),
      out: file('requests-out.jsonl'),
      errors: file('requests-errors.jsonl'),
      resume: false,
      tty: false,
      threads: 1,
      report: () => {},
    });
    expect(summary).toMatchObject({ done: 3, failed: 1 });
    const out = lines(file('requests-out.jsonl')).map((l) => JSON.parse(l) as { key: string; response: { items: unknown[] } });
    expect(out.map((o) => [o.key, o.response.items.length])).toEqual([['a', 3], ['3', 3], ['7', 2]]);
    expect(lines(file('requests-errors.jsonl')).map((l) => JSON.parse(l) as unknown)).toEqual([{ key: '4', code: 'INVALID_ARGUMENT', message: expect.stringMatching(/JSON/) }]);
  });

  it('gives one-line errors for a malformed template and a missing file', () => {
    writeKeys('few.txt', 3);
    for (const [args, message] of [
      [['--input', file('few.txt'), '--template', '{"api":"rank","uid":{key'], /malformed template/],
      [['--input', file('few.txt'), '--template', '{"uid":"{key}"}'], /malformed template.*"api"/],
      [['--input', file('missing.txt'), '--template', template], /input file not found/],
      [['--input', file('few.txt'), '--template', 'no-such-template.json'], /template file not found/],
    ] as const) {
      const r = cli(['run', '--config', dirs.configDir, ...args]);
      expect(r.status).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
