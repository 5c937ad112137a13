import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { type RankdFixture, startRankdFixture } from '../support/rankd-fixture.js';

const rankdBin = path.join(packageRoot, 'bin', 'rankd.js');
let rankd: RankdFixture;

beforeAll(async () => {
  rankd = await startRankdFixture();
});

afterAll(async () => {
  await rankd?.stop();
});

/** Runs the CLI as a user would (async: the server lives in this process). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [rankdBin, ...args], { env: { ...process.env, RANKD_CONTROL_TOKEN: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const control = () => ['--control', `127.0.0.1:${rankd.server.controlPort}`];
const target = () => ['--target', `127.0.0.1:${rankd.server.queryPort}`];

describe('rankd ctl', () => {
  it('status prints generations, tables and works as JSON', async () => {
    const r = await cli(['ctl', 'status', ...control(), '--token', 'test-token']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as { generation: number; tables: { name: string }[]; works: string[] };
    expect(s.generation).toBeGreaterThanOrEqual(1);
    expect(s.tables.map((t) => t.name)).toContain('blacklist');
    expect(s.works).toEqual(expect.arrayContaining(['example', 'rank']));
  });

  it('update-global TABLE swaps it, taking the token from RANKD_CONTROL_TOKEN', async () => {
    const before = await rankd.control.status();
    const r = await cli(['ctl', 'update-global', 'blacklist', ...control()], { RANKD_CONTROL_TOKEN: 'test-token' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^generation ${before.generation} -> ${before.generation + 1} in \\d+ ms`));
    expect(r.stdout).toMatch(/blacklist: \d+ entries/);
  });

  it('update-work names the pool generation it moved, not the tables\' one', async () => {
    const before = await rankd.control.status();
    const r = await cli(['ctl', 'update-work', ...control(), '--token', 'test-token']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^pool generation ${before.pool_generation} -> ${before.pool_generation + 1} in \\d+ ms`));
    expect(r.stdout).toMatch(/work rank: reloaded/);
  });

  it('a wrong token or a user mistake is one line on stderr and a non-zero exit', async () => {
    for (const args of [
      ['ctl', 'status', ...control(), '--token', 'wrong'],
      ['ctl', 'update-global', 'no_such_table', ...control(), '--token', 'test-token'],
      ['ctl', 'reload', ...control()],
      ['ctl', 'status', '--no-such-flag'],
      ['rank', ...target(), '--json', '{not json'],
      ['nonsense'],
    ]) {
      const r = await cli(args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^rankd: /);
    }
    expect((await cli(['ctl', 'status', ...control(), '--token', 'wrong'])).stderr).toMatch(/UNAUTHENTICATED/);
  });
});

describe('rankd rank and rankd call', () => {
  it('rank sends one typed request and prints the ranked items as JSON', async () => {
    const request = { userId: '12345', topK: 1, candidates: [{ itemId: '7', featureIds: [3, 77], featureValues: [1, 0.5] }, { itemId: '8', featureIds: [9], featureValues: [1] }] };
    const r = await cli(['rank', ...target(), '--json', JSON.stringify(request)]);
    expect(r.status).toBe(0);
    const reply = JSON.parse(r.stdout) as { items: { itemId: number | string }[]; plan: string };
    expect(reply.items).toHaveLength(1);
    expect(reply.plan).toBe('-1');
  });

  it('call sends one Call and prints the reply', async () => {
    const r = await cli(['call', ...target(), '--api', 'example', '--json', '{"hello":"world"}']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ hello: 'world', api: 'example' });
  });
});

describe('--help', () => {
  it('every command explains itself with examples', async () => {
    const top = await cli(['--help']);
    const commands = [...top.stdout.matchAll(/^ {2}(\w+) {2,}/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['serve', 'run', 'call', 'rank', 'ctl', 'discover', 'features']));
    for (const c of commands) {
      const r = await cli([c, '--help']);
      expect(r.status, c).toBe(0);
      expect(r.stdout, c).toMatch(/^Usage: rankd /m);
      expect(r.stdout, c).toMatch(/Examples?:/);
    }
  });
});
