/**
 * The three ways bench:remote reads N keys per request from one Redis:
 * rankd's remote source (through ctx.remote, as a work reads it), one plain
 * ioredis MGET on a shared client, and lab_common_so's way: a new connection
 * per request and one GET per key, in sequence.
 */
import { Redis } from 'ioredis';
import { RemoteSources } from '../../src/remote/remote-sources.js';
import type { RedisSourceSpec } from '../../src/remote/source-spec.js';
import type { Read } from './read-load.js';

export const KEY_PREFIX = 'feat:';

export interface ReadContestant {
  name: string;
  read: Read;
  close(): Promise<void>;
}

/** rankd: ctx.remote.<source>.mget(ids) per request, with the request's deadline. */
export function rankdSourceReader(port: number, requests: readonly number[][], deadlineMs = 1000): ReadContestant {
  const spec: RedisSourceSpec = {
    name: 'features',
    type: 'redis',
    servers: [{ host: '127.0.0.1', port }],
    select: 'hash',
    timeoutMs: deadlineMs,
    value: { kind: 'string' },
    compress: 'none',
    required: true,
    db: 0,
    username: undefined,
    password: undefined,
    keyPrefix: KEY_PREFIX,
  };
  const sources = new RemoteSources([spec]);
  return {
    name: 'rankd remote source',
    read: (i) => sources.forRequest(Date.now() + deadlineMs).features!.mget(requests[i % requests.length]!),
    close: () => sources.close(),
  };
}

/** One shared ioredis client with default options, one MGET per request. */
export function plainMgetReader(port: number, requests: readonly number[][]): ReadContestant {
  const client = new Redis(port, '127.0.0.1');
  return {
    name: 'plain ioredis mget',
    read: (i) => client.mget(requests[i % requests.length]!.map((id) => KEY_PREFIX + id)),
    close: async () => {
      await client.quit();
    },
  };
}

/** A connection per request, a GET per key in sequence, then disconnect. */
export function naiveReader(port: number, requests: readonly number[][]): ReadContestant {
  return {
    name: 'naive: connect + sequential GETs',
    read: async (i) => {
      const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await client.connect();
        const values: (string | null)[] = [];
        for (const id of requests[i % requests.length]!) values.push(await client.get(KEY_PREFIX + id));
        return values;
      } finally {
        client.disconnect();
      }
    },
    close: async () => {},
  };
}
