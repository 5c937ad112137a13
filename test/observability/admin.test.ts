import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { credentials, makeClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import parsePrometheus from 'parse-prometheus-text-format';
import { afterAll, describe, expect, it } from 'vitest';
import { startRankdFixture, type RankdFixture } from '../support/rankd-fixture.js';
import { freePort } from '../support/free-port.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';

const started: RankdFixture[] = [];
let etcd: EtcdProcess | undefined;

afterAll(async () => {
  for (const r of started) await r.stop().catch(() => {});
  await etcd?.destroy();
});

async function get(port: number, route: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${route}`);
  return { status: res.status, text: await res.text() };
}

function healthOf(port: number, service = ''): Promise<string> {
  const Health = makeClientConstructor(healthService, 'Health');
  const client = new Health(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as {
    check(req: { service: string }, cb: (e: ServiceError | null, r: { status: string }) => void): void;
    close(): void;
  };
  return new Promise((resolve, reject) =>
    client.check({ service }, (e, r) => {
      client.close();
      return e ? reject(e) : resolve(r.status);
    }),
  );
}

const candidates = [{ itemId: 5, featureIds: [1, 2], featureValues: [1, 1] }];

describe('admin port', () => {
  it('/readyz is 503 until tables and pool are up, /healthz answers throughout', async () => {
    const adminPort = await freePort();
    // A work whose import waits for a file: the pool cannot come up until the test creates it.
    let gate = '';
    const starting = startRankdFixture(
      (c) => {
        c.admin.port = adminPort;
      },
      (configDir) => {
        gate = path.join(configDir, 'gate');
        writeFileSync(
          path.join(configDir, 'gated.mts'),
          `import { existsSync } from 'node:fs';\nwhile (!existsSync(${JSON.stringify(gate)})) await new Promise((r) => setTimeout(r, 20));\nexport default { call() { return 'open'; } };\n`,
        );
        const ini = path.join(configDir, 'work_config.ini');
        writeFileSync(ini, `${readFileSync(ini, 'utf8').replace('WORKS = example, rank', 'WORKS = example, rank, gated')}\n[gated]\nMODULE = gated.mts\n`);
      },
    );
    const before = await waitUntil('the admin port to answer', () => get(adminPort, '/readyz').catch(() => undefined));
    expect(before.status).toBe(503);
    expect((await get(adminPort, '/healthz')).status).toBe(200);
    expect((await get(adminPort, '/metrics')).status).toBe(503);
    writeFileSync(gate, '');
    const rankd = await starting;
    started.push(rankd);
    expect((await get(adminPort, '/readyz')).status).toBe(200);
    expect(await healthOf(rankd.server.queryPort)).toBe('SERVING');
    expect(await healthOf(rankd.server.queryPort, 'rankd.v1.Rank')).toBe('SERVING');
    expect(await rankd.rank.call({ api: 'gated' })).toBe('open');
  });

  it('/metrics parses as Prometheus text and its counters move with calls', async () => {
    const adminPort = await freePort();
    const rankd = await startRankdFixture((c) => {
      c.admin.port = adminPort;
    });
    started.push(rankd);
    const scrape = async () => parsePrometheus((await get(adminPort, '/metrics')).text);
    const value = (families: ReturnType<typeof parsePrometheus>, name: string, labels: Record<string, string>) =>
      Number(families.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0);

    const before = await scrape();
    for (let i = 0; i < 3; i++) await rankd.rank.rank({ userId: 1, candidates });
    await rankd.rank.call({ api: 'example', x: 1 });
    await expect(rankd.rank.call({ api: 'nope' })).rejects.toMatchObject({ code: 5 });
    await rankd.control.updateGlobal(['blacklist']);
    const after = await scrape();

    expect(value(after, 'rankd_requests_total', { api: 'rank', method: 'rank' }) - value(before, 'rankd_requests_total', { api: 'rank', method: 'rank' })).toBe(3);
    expect(value(after, 'rankd_requests_total', { api: 'example', method: 'call' })).toBe(1);
    expect(value(after, 'rankd_request_errors_total', { api: 'nope', code: '5' })).toBe(1);
    // This parser keeps one series of a histogram without its labels: check the type here, the counts in the text.
    expect(after.find((f) => f.name === 'rankd_request_duration_seconds')?.type).toBe('HISTOGRAM');
    const text = (await get(adminPort, '/metrics')).text;
    expect(text).toMatch(/^rankd_request_duration_seconds_count\{api="rank"\} 3$/m);
    expect(value(after, 'rankd_table_entries', { table: 'blacklist' })).toBeGreaterThan(0);
    expect(value(after, 'rankd_table_generation', { table: 'blacklist' })).toBe(value(after, 'rankd_generation', {}));
    // Just after a swap the replaced version may still be held too: never less than the current one.
    expect(value(after, 'rankd_table_held_bytes', { table: 'blacklist' })).toBeGreaterThanOrEqual(value(after, 'rankd_table_bytes', { table: 'blacklist' }));
    expect(value(after, 'rankd_table_bytes', { table: 'blacklist' })).toBeGreaterThan(0);
    expect(value(after, 'rankd_pool_threads', {})).toBe(2);
    expect(text).toMatch(/^rankd_update_duration_seconds_count\{action="UpdateGlobal",outcome="ok"\} 1$/m);
    for (const f of after) expect(f.name).toMatch(/^rankd_/);
  });

  it('health goes NOT_SERVING and /readyz 503 while draining on shutdown', async () => {
    etcd = await startEtcd();
    const adminPort = await freePort();
    const rankd = await startRankdFixture((c) => {
      c.admin.port = adminPort;
      c.discovery = {
        etcd: [etcd!.endpoint],
        prefix: 'etcd',
        env: 'test',
        service: 'rankd-health',
        advertiseHost: '127.0.0.1',
        ttlS: 5,
        drainMs: 3000,
        weight: 1,
        zone: '',
      };
    });
    expect(await healthOf(rankd.server.queryPort)).toBe('SERVING');
    const stopping = rankd.stop();
    await waitUntil('health to turn NOT_SERVING', async () => (await healthOf(rankd.server.queryPort)) === 'NOT_SERVING');
    expect((await get(adminPort, '/readyz')).status).toBe(503);
    await stopping;
  });
});
