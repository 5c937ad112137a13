import type { ChannelOptions } from '@grpc/grpc-js';
import { createHttpSource } from './http-source.js';
import { createMemcacheSource } from './memcache-source.js';
import { createPeerSource } from './peer-source.js';
import { createRedisClusterSource } from './redis-cluster-source.js';
import { createRedisSource } from './redis-source.js';
import type { RemoteSource } from './remote-source.js';
import type { SourceSpec } from './source-spec.js';

/** What the process around the sources provides to their clients. */
export interface SourceEnvironment {
  /** Extra options of peer gRPC channels, e.g. the etcd endpoints an etcd:/// resolver reads. */
  peerChannelOptions?: ChannelOptions;
}

/** A source with fresh clients; throws if the spec cannot be served here. */
export function createSource(spec: SourceSpec, environment: SourceEnvironment = {}): RemoteSource {
  switch (spec.type) {
    case 'redis':
      return createRedisSource(spec);
    case 'redis-cluster':
      return createRedisClusterSource(spec);
    case 'memcache':
      return createMemcacheSource(spec);
    case 'http':
      return createHttpSource(spec);
    case 'peer':
      return createPeerSource(spec, environment.peerChannelOptions ?? {});
  }
}
