/**
 * What db_config.ini declares about one remote source, as plain data: the
 * config reader builds it, the main thread posts it to every pool thread
 * (structured clone), and each thread builds its own clients from it.
 */

export const SOURCE_TYPES = ['redis', 'redis-cluster', 'memcache', 'http', 'peer'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** hash: each key goes to one server by a hash of the key; random: any server holds every key (replicas). */
export type ServerSelect = 'hash' | 'random';

export interface ServerAddress {
  host: string;
  port: number;
}

/** How a stored value reads as a JS value. */
export type ValueFormat =
  | { kind: 'string' }
  /** "a,b,c" → ['a', 'b', 'c'] */
  | { kind: 'list'; separator: string }
  /** "7:0.5,9:0.25" → { ids: ['7', '9'], scores: [0.5, 0.25] } */
  | { kind: 'pairs'; separator: string; scoreSeparator: string }
  | { kind: 'json' };

export type Compression = 'none' | 'zlib';

interface SourceSpecBase {
  /** Section name; the property of ctx.remote that reads this source. */
  name: string;
  servers: ServerAddress[];
  select: ServerSelect;
  /** Longest a read may take, capped further by the request's deadline. */
  timeoutMs: number;
  value: ValueFormat;
  compress: Compression;
  /** false: a failed read gives misses (and a warning) instead of failing the request. */
  required: boolean;
}

export interface RedisSourceSpec extends SourceSpecBase {
  type: 'redis' | 'redis-cluster';
  /** Database index (standalone redis only; a cluster has only 0). */
  db: number;
  username: string | undefined;
  password: string | undefined;
  /** Prepended to every key: "feat:" makes key 42 read "feat:42". */
  keyPrefix: string;
}

export interface MemcacheSourceSpec extends SourceSpecBase {
  type: 'memcache';
  keyPrefix: string;
}

export type HttpAuth = { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

export interface HttpSourceSpec extends SourceSpecBase {
  type: 'http';
  method: 'GET' | 'POST';
  tls: boolean;
  /** Path and query with {key} (URL-encoded there), e.g. "/items/{key}?fields=all". */
  url: string;
  /** POST body with {key} (JSON-escaped there), e.g. '{"id":"{key}"}'. */
  body: string | undefined;
  headers: Record<string, string>;
  auth: HttpAuth;
  /** Connections per server and thread. */
  connections: number;
}

export interface PeerSourceSpec extends SourceSpecBase {
  type: 'peer';
  /** An etcd:/// (or other resolver) target instead of `servers`; needs that resolver registered with grpc-js. */
  discovery: string | undefined;
  /** The api the peer serves: Call {"api": api, "keys": [...]} → {"values": [...]}. */
  api: string;
}

export type SourceSpec = RedisSourceSpec | MemcacheSourceSpec | HttpSourceSpec | PeerSourceSpec;

export function serverText({ host, port }: ServerAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
