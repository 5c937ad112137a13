import type { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { encodeRegistration, type RegisteredServer } from '../../src/discovery/registration-value.js';
import { serverKey, serviceFolder } from '../../src/discovery/service-key.js';
import { ServiceWatch, type ServiceWatchOptions } from '../../src/discovery/service-watch.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';

let etcd: EtcdProcess;
let writer: Etcd3;
const open: { watch: ServiceWatch; etcd: Etcd3 }[] = [];
let serviceNumber = 0;

beforeAll(async () => {
  etcd = await startEtcd();
  writer = connectEtcd(etcd.endpoint);
});

afterEach(async () => {
  for (const { watch, etcd: client } of open.splice(0)) {
    watch.close();
    client.close();
  }
  if (!etcd.running) await etcd.start();
});

afterAll(async () => {
  writer.close();
  await etcd.destroy();
});

/** A fresh service name per test, and a watch on it that records every list it hears. */
function watchNewService(options: ServiceWatchOptions = {}) {
  const name = { prefix: 'etcd', env: 'watch-test', service: `svc${serviceNumber++}` };
  const lists: string[][] = [];
  const client = connectEtcd(etcd.endpoint);
  const watch = new ServiceWatch(client, serviceFolder(name), (servers) => lists.push(servers.map((s) => s.address)), options);
  open.push({ watch, etcd: client });
  const register = (address: string, metadata: RegisteredServer['metadata'] = {}) =>
    writer.put(serverKey(name, address)).value(encodeRegistration({ address, metadata }));
  const remove = (address: string) => writer.delete().key(serverKey(name, address));
  const last = () => lists[lists.length - 1];
  const heard = (addresses: string[]) => waitUntil(`list ${addresses.join(',') || '(empty)'}`, () => JSON.stringify(last()) === JSON.stringify(addresses), { timeoutMs: 10_000 });
  return { name, watch, lists, register, remove, last, heard };
}

describe('ServiceWatch', () => {
  it('starts from a snapshot, then follows puts and deletes, telling only changes', async () => {
    const service = watchNewService();
    await service.register('127.0.0.1:1001');
    service.watch.start();
    await service.heard(['127.0.0.1:1001']);
    await service.register('127.0.0.1:1000', { weight: 2 });
    await service.heard(['127.0.0.1:1000', '127.0.0.1:1001']);
    expect(service.watch.servers?.[0]?.metadata).toEqual({ weight: 2 });
    // The same value again changes nothing.
    await service.register('127.0.0.1:1000', { weight: 2 });
    await service.remove('127.0.0.1:1001');
    await service.heard(['127.0.0.1:1000']);
    expect(service.lists).toEqual([['127.0.0.1:1001'], ['127.0.0.1:1000', '127.0.0.1:1001'], ['127.0.0.1:1000']]);
  });

  it('reads plain-address values and ignores keys below a server key', async () => {
    const service = watchNewService();
    const folder = serviceFolder(service.name);
    await writer.put(`${folder}10.1.2.3:5000`).value('10.1.2.3:5000');
    await writer.put(`${folder}10.1.2.3:5000/extra`).value('x');
    service.watch.start();
    await service.heard(['10.1.2.3:5000']);
  });

  it('keeps the last list while etcd is down', async () => {
    const service = watchNewService();
    await service.register('127.0.0.1:2000');
    service.watch.start();
    await service.heard(['127.0.0.1:2000']);
    await etcd.stop();
    const downUntil = Date.now() + 2000;
    await waitUntil('etcd down a while', () => Date.now() > downUntil, { intervalMs: 100 });
    expect(service.last()).toEqual(['127.0.0.1:2000']);
    await etcd.start();
    await service.register('127.0.0.1:2001');
    await service.heard(['127.0.0.1:2000', '127.0.0.1:2001']);
  });

  it('sees new keys after etcd restarted with an empty data dir (revisions started over)', async () => {
    const service = watchNewService({ holdMissingMs: 1500 });
    // Push the revision well above where a fresh cluster starts.
    for (let i = 0; i < 20; i++) await service.register('127.0.0.1:3000', { round: i });
    service.watch.start();
    await service.heard(['127.0.0.1:3000']);
    await etcd.stop();
    etcd.wipe();
    await etcd.start();
    await service.register('127.0.0.1:3001');
    // The lost server is held a while (it would register again), then dropped.
    await service.heard(['127.0.0.1:3000', '127.0.0.1:3001']);
    await service.heard(['127.0.0.1:3001']);
  });

  it('takes a held server back for good when it registers again', async () => {
    const service = watchNewService({ holdMissingMs: 1000 });
    await service.register('127.0.0.1:4000');
    service.watch.start();
    await service.heard(['127.0.0.1:4000']);
    await etcd.stop();
    etcd.wipe();
    await etcd.start();
    await service.register('127.0.0.1:4000');
    const after = Date.now() + 2000;
    await waitUntil('hold expired', () => Date.now() > after, { intervalMs: 100 });
    expect(service.last()).toEqual(['127.0.0.1:4000']);
  });
});
