import type { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { Registrar } from '../../src/discovery/registrar.js';
import { decodeRegistration, encodeRegistration } from '../../src/discovery/registration-value.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';

const TTL_S = 2;

let etcd: EtcdProcess;
let observer: Etcd3;
const registrars: Registrar[] = [];
let keyNumber = 0;

beforeAll(async () => {
  etcd = await startEtcd();
  observer = connectEtcd(etcd.endpoint);
});

afterEach(async () => {
  registrars.splice(0).forEach((registrar) => registrar.close());
  if (!etcd.running) await etcd.start();
});

afterAll(async () => {
  observer.close();
  await etcd.destroy();
});

function startRegistrar(): { registrar: Registrar; key: string; logs: string[] } {
  const address = `127.0.0.1:${20000 + keyNumber}`;
  const key = `/etcd/registrar-test/rankd-${keyNumber++}/${address}`;
  const logs: string[] = [];
  const registrar = new Registrar(connectEtcd(etcd.endpoint), {
    key,
    value: encodeRegistration({ address, metadata: { weight: 2 } }),
    ttlS: TTL_S,
    log: (msg) => logs.push(msg),
  });
  registrars.push(registrar);
  registrar.start();
  return { registrar, key, logs };
}

/** The key's value, undefined while absent (so waitUntil keeps polling). */
const valueOf = async (key: string) => (await observer.get(key).string()) ?? undefined;

describe('Registrar', () => {
  it('puts the key with the naming JSON value under a lease, and revoking deletes it at once', async () => {
    const { registrar, key, logs } = startRegistrar();
    const value = await waitUntil('key registered', () => valueOf(key));
    expect(decodeRegistration(value, '')).toEqual({ address: key.slice(key.lastIndexOf('/') + 1), metadata: { weight: 2 } });
    expect(JSON.parse(value)).toHaveProperty('Addr');
    const lease = (await observer.getAll().prefix(key).exec()).kvs[0]!.lease;
    expect(lease).not.toBe('0');
    expect(logs).toContain('registered in etcd');

    await registrar.deregister(1000);
    // Revoke returned: the key is gone now, not after the TTL.
    expect(await valueOf(key)).toBeUndefined();
    expect(logs).toContain('deregistered from etcd');
  });

  it('keeps the key alive beyond its TTL', async () => {
    const { key } = startRegistrar();
    await waitUntil('key registered', () => valueOf(key));
    const keptUntil = Date.now() + 2.5 * TTL_S * 1000;
    await waitUntil('past the TTL', () => Date.now() > keptUntil, { timeoutMs: 10_000, intervalMs: 250 });
    expect(await valueOf(key)).toBeDefined();
  });

  it('registers again after etcd was down for 3 × TTL (the lease was lost)', async () => {
    const { key, logs } = startRegistrar();
    await waitUntil('key registered', () => valueOf(key));
    await etcd.stop();
    await waitUntil('lease lost', () => logs.some((msg) => msg.startsWith('etcd lease lost')), { timeoutMs: 4 * TTL_S * 1000 });
    const downUntil = Date.now() + 3 * TTL_S * 1000;
    await waitUntil('3 × TTL passed', () => Date.now() > downUntil, { timeoutMs: 10_000, intervalMs: 100 });
    await etcd.start();
    const restarted = Date.now();
    // The old key may linger until its old lease expires; wait for the new lease to hold it.
    await waitUntil('registered again', () => logs.filter((msg) => msg === 'registered in etcd').length === 2, { timeoutMs: (TTL_S + 2) * 1000 });
    expect(Date.now() - restarted).toBeLessThan((TTL_S + 2) * 1000);
    // Still there once the pre-outage lease has expired for sure.
    const settled = Date.now() + (TTL_S + 1) * 1000;
    await waitUntil('old lease expired', () => Date.now() > settled, { timeoutMs: 10_000, intervalMs: 100 });
    expect(await valueOf(key)).toBeDefined();
  });

  it('registers again when etcd comes back with an empty data dir', async () => {
    const { key, logs } = startRegistrar();
    await waitUntil('key registered', () => valueOf(key));
    await etcd.stop();
    etcd.wipe();
    await etcd.start();
    const restarted = Date.now();
    await waitUntil('registered again', () => valueOf(key), { timeoutMs: (TTL_S + 2) * 1000 });
    expect(Date.now() - restarted).toBeLessThan((TTL_S + 2) * 1000);
    expect(logs.some((msg) => msg.startsWith('etcd lease lost'))).toBe(true);
  });

  it('registers once etcd becomes reachable when it was down at start', async () => {
    await etcd.stop();
    const { key, logs } = startRegistrar();
    await waitUntil('a failed attempt', () => logs.some((msg) => msg.includes('registering again')), { timeoutMs: 10_000 });
    await etcd.start();
    await waitUntil('registered', () => valueOf(key), { timeoutMs: (TTL_S + 2) * 1000 });
  });
});
