/**
 * Redis Cluster: one ioredis Cluster client for the whole source; it keeps
 * the slot map and follows MOVED/ASK. A read is one GET per key: MGET only
 * works within one hash slot, and with auto-pipelining the GETs of a read
 * (and of concurrent reads) go out as one pipeline per master node, in
 * parallel, which is the per-shard grouping the cluster itself can serve.
 */
import { Cluster } from 'ioredis';
import { closeIoredis, ioredisConnectionOptions, IoredisState } from './ioredis-connection.js';
import type { RawValue } from './remote-value.js';
import type { RemoteSource } from './remote-source.js';
import type { ShardReader } from './shard-reader.js';
import { ShardedSource } from './sharded-source.js';
import { serverText, type RedisSourceSpec } from './source-spec.js';
import { decoderNeedsBytes } from './value-decoder.js';

export function createRedisClusterSource(spec: RedisSourceSpec): RemoteSource {
  // The cluster shards by slot itself, so the source has one "shard": the client.
  return new ShardedSource(spec, [new ClusterShard(spec)]);
}

class ClusterShard implements ShardReader {
  readonly server: string;
  private readonly client: Cluster;
  private readonly connection: IoredisState;
  private readonly prefix: string;
  private readonly bytes: boolean;

  constructor(spec: RedisSourceSpec) {
    this.server = spec.servers.map(serverText).join(',');
    this.prefix = spec.keyPrefix;
    this.bytes = decoderNeedsBytes(spec.compress);
    const { lazyConnect, enableAutoPipelining, maxRetriesPerRequest, ...nodeOptions } = ioredisConnectionOptions(spec);
    this.client = new Cluster(spec.servers, {
      lazyConnect,
      enableAutoPipelining,
      redisOptions: { ...nodeOptions, maxRetriesPerRequest },
      // select = random: read from replicas too.
      scaleReads: spec.select === 'random' ? 'all' : 'master',
      clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
      slotsRefreshTimeout: Math.max(1000, spec.timeoutMs),
    });
    this.connection = new IoredisState(this.client);
  }

  read(keys: string[]): Promise<RawValue[]> {
    const reads = new Array<Promise<RawValue>>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = this.prefix + keys[i]!;
      reads[i] = this.bytes ? this.client.getBuffer(key) : this.client.get(key);
    }
    return Promise.all(reads);
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
