/**
 * memcached through memjs: one client per server (rankd picks the server,
 * so every source type shards the same way). memjs speaks the binary
 * protocol (any bytes in keys and values, explicit miss status) and writes
 * each request as soon as it is made, matching replies by sequence number,
 * so the GETs of a read are pipelined on one socket: one round trip per
 * server however many keys.
 */
import memjs from 'memjs';
import type { RawValue } from './remote-value.js';
import type { RemoteSource } from './remote-source.js';
import type { ShardReader } from './shard-reader.js';
import { ShardedSource } from './sharded-source.js';
import { serverText, type MemcacheSourceSpec, type ServerAddress } from './source-spec.js';

export function createMemcacheSource(spec: MemcacheSourceSpec): RemoteSource {
  return new ShardedSource(
    spec,
    spec.servers.map((server) => new MemcacheShard(spec, server)),
  );
}

const silent = { log: () => {} };

class MemcacheShard implements ShardReader {
  readonly server: string;
  private readonly client: memjs.Client;

  constructor(spec: MemcacheSourceSpec, address: ServerAddress) {
    this.server = serverText(address);
    this.client = memjs.Client.create(this.server, {
      // In seconds. Ours fire first (and say "timed out"); memjs's then drop the dead socket.
      timeout: (2 * spec.timeoutMs) / 1000,
      conntimeout: Math.max(1, (2 * spec.timeoutMs) / 1000),
      retries: 1,
      failover: false,
      keepAlive: true,
      // Failures reach the caller as RemoteErrors; memjs would also print them.
      logger: silent,
    });
  }

  read(keys: string[]): Promise<RawValue[]> {
    return Promise.all(keys.map((key) => this.client.get(key).then((reply) => reply.value)));
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
