/**
 * Redis Cluster: one ioredis Cluster client for the whole source; it keeps
 * the slot map and the connections to every node. MGET only works within one
 * hash slot, so a read groups its keys by the node that serves their slot and
 * sends each node one pipeline of GETs, all nodes in parallel. The pipelines
 * go straight to the node connections: measured at 200 keys and 16 reads in
 * flight, that costs ~40% less CPU than ioredis's auto-pipelining (which
 * keeps one batch in flight per node) or its cluster pipelines (which
 * recompute every key's slot). Keys whose slot has moved meanwhile (MOVED,
 * ASK) and reads before the slot map is known go through the cluster client,
 * which follows redirections and refreshes the map.
 */
import { Cluster, type Redis } from 'ioredis';
import { clusterSlot } from './cluster-slot.js';
import { closeIoredis, ioredisConnectionOptions, IoredisState } from './ioredis-connection.js';
import type { RawValue } from './remote-value.js';
import type { RemoteSource } from './remote-source.js';
import type { ShardReader } from './shard-reader.js';
import { ShardedSource } from './sharded-source.js';
import { serverText, type RedisSourceSpec } from './source-spec.js';
import { decoderNeedsBytes } from './value-decoder.js';

export function createRedisClusterSource(spec: RedisSourceSpec, connect = true): RemoteSource {
  // The cluster shards by slot itself, so the source has one "shard": the client.
  return new ShardedSource(spec, [new ClusterShard(spec, connect)]);
}

type PipelineResult = [Error | null, unknown][] | null;

class ClusterShard implements ShardReader {
  readonly server: string;
  private readonly client: Cluster;
  private readonly connection: IoredisState;
  private readonly bytes: boolean;
  private readonly anyReplica: boolean;
  /** Node connections by "host:port", rebuilt when the cluster adds or drops one. */
  private nodes: Map<string, Redis> | undefined;

  constructor(spec: RedisSourceSpec, connect: boolean) {
    this.server = spec.servers.map(serverText).join(',');
    this.bytes = decoderNeedsBytes(spec.compress);
    this.anyReplica = spec.select === 'random';
    const { lazyConnect, maxRetriesPerRequest, ...nodeOptions } = ioredisConnectionOptions(spec, connect);
    this.client = new Cluster(spec.servers, {
      lazyConnect,
      // For the reads that go through the cluster client: one write per node per tick.
      enableAutoPipelining: true,
      redisOptions: { ...nodeOptions, maxRetriesPerRequest },
      // select = random: read from replicas too.
      scaleReads: this.anyReplica ? 'all' : 'master',
      clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
      slotsRefreshTimeout: Math.max(1000, spec.timeoutMs),
    });
    this.connection = new IoredisState(this.client);
    const forget = (): void => {
      this.nodes = undefined;
    };
    this.client.on('+node', forget);
    this.client.on('-node', forget);
  }

  async read(keys: string[]): Promise<RawValue[]> {
    const values = new Array<RawValue>(keys.length);
    const viaCluster: number[] = [];
    const byNode = this.client.status === 'ready' ? this.groupByNode(keys, viaCluster) : new Map<Redis, number[]>();
    if (byNode.size === 0 && viaCluster.length === 0) for (let i = 0; i < keys.length; i++) viaCluster.push(i);

    const reads: Promise<void>[] = [];
    for (const [node, positions] of byNode) {
      const pipeline = node.pipeline();
      for (const i of positions) {
        if (this.bytes) pipeline.getBuffer(keys[i]!);
        else pipeline.get(keys[i]!);
      }
      reads.push(
        pipeline.exec().then((results: PipelineResult) => {
          if (results === null) throw new Error('pipeline discarded');
          for (let j = 0; j < positions.length; j++) {
            const [err, value] = results[j]!;
            if (err === null) values[positions[j]!] = value as RawValue;
            else if (/^(MOVED|ASK) /.test(err.message)) viaCluster.push(positions[j]!);
            else throw err;
          }
        }),
      );
    }
    await Promise.all(reads);
    // Redirected keys (and all keys before the slot map is known) take the cluster client's way.
    await Promise.all(viaCluster.map(async (i) => (values[i] = await (this.bytes ? this.client.getBuffer(keys[i]!) : this.client.get(keys[i]!)))));
    return values;
  }

  /** Positions of `keys` per node connection; keys with no known node go to `unplaced`. */
  private groupByNode(keys: string[], unplaced: number[]): Map<Redis, number[]> {
    const slots = this.client.slots;
    const nodes = (this.nodes ??= new Map(this.client.nodes('all').map((node) => [`${node.options.host}:${node.options.port}`, node])));
    const groups = new Map<Redis, number[]>();
    for (let i = 0; i < keys.length; i++) {
      const owners = slots[clusterSlot(keys[i]!)];
      const key = owners === undefined ? undefined : this.anyReplica ? owners[Math.floor(Math.random() * owners.length)] : owners[0];
      const node = key === undefined ? undefined : nodes.get(key);
      if (node === undefined) {
        unplaced.push(i);
        continue;
      }
      let group = groups.get(node);
      if (group === undefined) groups.set(node, (group = []));
      group.push(i);
    }
    return groups;
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
