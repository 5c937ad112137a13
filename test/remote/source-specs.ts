/** Spec builders for tests: every field at its db_config.ini default unless overridden. */
import type { HttpSourceSpec, MemcacheSourceSpec, PeerSourceSpec, RedisSourceSpec, ServerAddress } from '../../src/remote/source-spec.js';

const base = {
  select: 'hash' as const,
  // Generous: reads that should succeed must not time out on a loaded machine; fault tests set their own.
  timeoutMs: 2000,
  value: { kind: 'string' as const },
  compress: 'none' as const,
  required: true,
};

export const loopback = (port: number): ServerAddress => ({ host: '127.0.0.1', port });

export function redisSpec(name: string, ports: number[], more: Partial<RedisSourceSpec> = {}): RedisSourceSpec {
  return { ...base, name, type: 'redis', servers: ports.map(loopback), db: 0, username: undefined, password: undefined, keyPrefix: '', ...more };
}

export function clusterSpec(name: string, ports: number[], more: Partial<RedisSourceSpec> = {}): RedisSourceSpec {
  return { ...redisSpec(name, ports, more), type: 'redis-cluster' };
}

export function memcacheSpec(name: string, ports: number[], more: Partial<MemcacheSourceSpec> = {}): MemcacheSourceSpec {
  return { ...base, name, type: 'memcache', servers: ports.map(loopback), keyPrefix: '', ...more };
}

export function httpSpec(name: string, ports: number[], more: Partial<HttpSourceSpec> = {}): HttpSourceSpec {
  return {
    ...base,
    name,
    type: 'http',
    servers: ports.map(loopback),
    method: 'GET',
    tls: false,
    url: '/items/{key}',
    body: undefined,
    headers: {},
    auth: { kind: 'none' },
    connections: 16,
    ...more,
  };
}

export function peerSpec(name: string, ports: number[], more: Partial<PeerSourceSpec> = {}): PeerSourceSpec {
  return { ...base, name, type: 'peer', servers: ports.map(loopback), discovery: undefined, api: 'values', ...more };
}
