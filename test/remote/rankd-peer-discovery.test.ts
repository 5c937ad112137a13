/**
 * A peer source whose target is in etcd, read by a work in pool threads:
 * the threads resolve etcd:///… through the etcd of rankd.ini's [discovery].
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoverySection } from '../../src/config/rankd-ini.js';
import { dbConfigIni } from '../support/db-config-ini.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { startRankdFixture, type RankdFixture } from '../support/rankd-fixture.js';
import { waitUntil } from '../support/wait-until.js';
import { addWork } from './add-work.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const registeredAs = (etcd: EtcdProcess, service: string): DiscoverySection => ({
  etcd: [etcd.endpoint],
  prefix: 'etcd',
  env: 'test',
  service,
  advertiseHost: '127.0.0.1',
  ttlS: 10,
  drainMs: 0,
  weight: 1,
  zone: '',
});

describe('peer source with an etcd:/// target in a running rankd', () => {
  let etcd: EtcdProcess;
  let peer: RankdFixture;
  let rankd: RankdFixture;

  beforeAll(async () => {
    etcd = await startEtcd();
    peer = await startRankdFixture(
      (c) => (c.discovery = registeredAs(etcd, 'values-peer')),
      (dir) => addWork(dir, 'values', fixture('peer-values-work.ts')),
    );
    rankd = await startRankdFixture(
      (c) => (c.discovery = registeredAs(etcd, 'reader')),
      (dir) => {
        addWork(dir, 'reader', fixture('remote-reader-work.ts'));
        writeFileSync(join(dir, 'db_config.ini'), dbConfigIni({ peer: { type: 'peer', target: 'etcd:///etcd/test/values-peer', api: 'values', select: 'random', timeout_ms: 2000 } }));
      },
    );
  });
  afterAll(async () => {
    await rankd?.stop();
    await peer?.stop();
    await etcd?.destroy();
  });

  it('a work in pool threads reads the peer registered under the target', async () => {
    // The peer's registration and the threads' first watch answer take a moment.
    const reply = await waitUntil('the peer found through etcd answers', () =>
      rankd.rank.call({ api: 'reader', reads: { peer: [5, 'miss-5'] } }),
    );
    expect(reply).toEqual({ peer: ['v:5', null] });
    // Both threads have clients of their own; each resolves through etcd.
    for (let i = 0; i < 6; i++) expect(await rankd.rank.call({ api: 'reader', reads: { peer: [i] } })).toEqual({ peer: [`v:${i}`] });
  });

  it('UpdateDb adds a second etcd:/// peer source after checking it on the main thread', async () => {
    writeFileSync(
      join(rankd.configDir, 'db_config.ini'),
      dbConfigIni({
        peer: { type: 'peer', target: 'etcd:///etcd/test/values-peer', api: 'values', select: 'random', timeout_ms: 2000 },
        again: { type: 'peer', target: 'etcd:///etcd/test/values-peer', api: 'values', select: 'random', timeout_ms: 2000, value: 'json' },
      }),
    );
    const reply = await rankd.control.updateDb();
    expect(reply.changed).toEqual(['source again: added', 'source peer: unchanged, clients kept']);
    const values = await waitUntil('the new source finds the peer', () =>
      rankd.rank.call({ api: 'reader', reads: { again: ['json-3'] } }),
    );
    expect(values).toEqual({ again: [{ key: 'json-3' }] });
  });
});
