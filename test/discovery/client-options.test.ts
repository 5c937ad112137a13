import { describe, expect, it } from 'vitest';
import { channelTarget } from '../../src/client/client-target.js';
import { innermostError } from '../../src/client/error-text.js';
import { callBodyUserId } from '../../src/client/hash-key.js';
import { serviceConfig } from '../../src/client/service-config.js';
import { decodeRegistration, encodeRegistration, serverWeight } from '../../src/discovery/registration-value.js';
import { parseServicePath, serverKey, serviceFolder } from '../../src/discovery/service-key.js';

describe('client targets', () => {
  it('pass etcd, dns and ip targets through and turn host:port lists into the static scheme', () => {
    expect(channelTarget('etcd:///etcd/prod/rankd')).toBe('etcd:///etcd/prod/rankd');
    expect(channelTarget('dns:rank.internal:21345')).toBe('dns:rank.internal:21345');
    expect(channelTarget('ipv4:10.0.0.1:1,10.0.0.2:1')).toBe('ipv4:10.0.0.1:1,10.0.0.2:1');
    expect(channelTarget('10.0.0.1:21345, rank-2.internal:21345,[::1]:7')).toBe('rankd-static:///10.0.0.1:21345,rank-2.internal:21345,[::1]:7');
    expect(channelTarget('localhost:21345')).toBe('rankd-static:///localhost:21345');
  });

  it('explain what is wrong with a bad target', () => {
    expect(() => channelTarget('etcd:///etcd/prod')).toThrow('"etcd/prod" is not <prefix>/<env>/<service>');
    expect(() => channelTarget('etcd:/x')).toThrow('write etcd:///<prefix>/<env>/<service>');
    expect(() => channelTarget('10.0.0.1:1,nope')).toThrow('("nope" is not host:port)');
    expect(() => channelTarget('')).toThrow(/is not etcd/);
  });
});

describe('service config', () => {
  it('names the rankd balancer and retries idempotent methods on UNAVAILABLE', () => {
    expect(serviceConfig({ balancer: 'ring_hash', ringHash: { virtualNodes: 50 } })).toEqual({
      loadBalancingConfig: [{ rankd_ring_hash: { virtualNodes: 50 } }],
      methodConfig: [
        {
          name: [{ service: 'rankd.v1.Rank', method: 'Rank' }, { service: 'rankd.v1.Rank', method: 'Call' }],
          retryPolicy: { maxAttempts: 4, initialBackoff: '0.01s', maxBackoff: '0.2s', backoffMultiplier: 2, retryableStatusCodes: ['UNAVAILABLE'] },
        },
      ],
    });
    expect(serviceConfig({ balancer: 'p2c', retry: false })).toEqual({ loadBalancingConfig: [{ rankd_p2c: {} }], methodConfig: [] });
    const rankOnly = serviceConfig({ balancer: 'round_robin', retry: { methods: ['Rank'], maxAttempts: 2 } }) as { methodConfig: { name: unknown[] }[] };
    expect(rankOnly.methodConfig[0]!.name).toEqual([{ service: 'rankd.v1.Rank', method: 'Rank' }]);
    expect(() => serviceConfig({ balancer: 'round_robin', retry: { maxAttempts: 1 } })).toThrow(/maxAttempts/);
  });

  it('take the hash key from a Call body uid under its usual names', () => {
    expect(callBodyUserId({ api: 'a', uid: '123' })).toBe('123');
    expect(callBodyUserId({ user_id: 77 })).toBe('77');
    expect(callBodyUserId({ userId: 18446744073709551615n })).toBe('18446744073709551615');
    expect(callBodyUserId({ uid: '' })).toBeUndefined();
    expect(callBodyUserId('text')).toBeUndefined();
  });
});

describe('the discovery key and value', () => {
  it('lay keys out as /<prefix>/<env>/<service>/<host:port>', () => {
    const name = { prefix: 'etcd', env: 'prod', service: 'rankd' };
    expect(serviceFolder(name)).toBe('/etcd/prod/rankd/');
    expect(serverKey(name, '10.0.0.5:21345')).toBe('/etcd/prod/rankd/10.0.0.5:21345');
    expect(parseServicePath('/etcd/prod/rankd/')).toEqual(name);
    expect(() => serviceFolder({ ...name, env: 'a/b' })).toThrow(/must be non-empty and contain no "\/"/);
  });

  it('write the Go naming JSON and read it back, or a plain address, or nothing', () => {
    const value = encodeRegistration({ address: '10.0.0.5:21345', metadata: { weight: 2, zone: 'a' } });
    expect(JSON.parse(value)).toEqual({ Addr: '10.0.0.5:21345', Metadata: { weight: 2, zone: 'a' } });
    expect(decodeRegistration(value, 'ignored:1')).toEqual({ address: '10.0.0.5:21345', metadata: { weight: 2, zone: 'a' } });
    expect(decodeRegistration('{"Op":0,"Addr":"[::1]:80"}', '')).toEqual({ address: '[::1]:80', metadata: {} });
    expect(decodeRegistration('10.0.0.6:1', '10.0.0.6:1')).toEqual({ address: '10.0.0.6:1', metadata: {} });
    expect(decodeRegistration('{}', 'not-an-address')).toBeUndefined();
  });

  it('read weights defensively', () => {
    expect(serverWeight({ weight: 2.5 })).toBe(2.5);
    expect(serverWeight({ weight: '3' as unknown as number })).toBe(3);
    for (const bad of [0, -1, 'x', undefined, Infinity]) expect(serverWeight({ weight: bad as number })).toBe(1);
  });
});

describe('error text', () => {
  it('keeps the innermost cause of a nested grpc-js error', () => {
    expect(innermostError('14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: ')).toBe(
      'connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(innermostError('no servers to call')).toBe('no servers to call');
  });
});
