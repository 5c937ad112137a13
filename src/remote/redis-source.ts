/**
 * Standalone Redis: one ioredis client per server; a read is one MGET per
 * server, and auto-pipelining lets concurrent requests share socket writes.
 */
import { Redis } from 'ioredis';
import { closeIoredis, ioredisConnectionOptions, IoredisState } from './ioredis-connection.js';
import type { RawValue } from './remote-value.js';
import type { RemoteSource } from './remote-source.js';
import type { ShardReader } from './shard-reader.js';
import { ShardedSource } from './sharded-source.js';
import { serverText, type RedisSourceSpec, type ServerAddress } from './source-spec.js';
import { decoderNeedsBytes } from './value-decoder.js';

export function createRedisSource(spec: RedisSourceSpec): RemoteSource {
  return new ShardedSource(
    spec,
    spec.servers.map((server) => new RedisShard(spec, server)),
  );
}

class RedisShard implements ShardReader {
  readonly server: string;
  private readonly client: Redis;
  private readonly connection: IoredisState;
  private readonly prefix: string;
  private readonly bytes: boolean;

  constructor(spec: RedisSourceSpec, address: ServerAddress) {
    this.server = serverText(address);
    this.prefix = spec.keyPrefix;
    this.bytes = decoderNeedsBytes(spec.compress);
    this.client = new Redis({
      ...ioredisConnectionOptions(spec),
      host: address.host,
      port: address.port,
      db: spec.db,
      retryStrategy: (times) => Math.min(50 * times, 2000),
    });
    this.connection = new IoredisState(this.client);
  }

  read(keys: string[]): Promise<RawValue[]> {
    const stored = this.prefix === '' ? keys : keys.map((key) => this.prefix + key);
    return this.bytes ? this.client.mgetBuffer(stored) : this.client.mget(stored);
  }

  downReason(): string | undefined {
    return this.connection.downReason();
  }

  state(): string | undefined {
    return this.connection.state();
  }

  close(): Promise<void> {
    return closeIoredis(this.client);
  }
}
