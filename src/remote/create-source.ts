import { createHttpSource } from './http-source.js';
import { createMemcacheSource } from './memcache-source.js';
import { createPeerSource } from './peer-source.js';
import { createRedisClusterSource } from './redis-cluster-source.js';
import { createRedisSource } from './redis-source.js';
import type { RemoteSource } from './remote-source.js';
import type { SourceSpec } from './source-spec.js';

/** What the process around the sources provides to their clients (plain data: it travels to pool threads). */
export interface SourceEnvironment {
  /** etcd endpoints for peer targets in etcd (etcd:///…): rankd.ini's [discovery] etcd. Default: RANKD_ETCD. */
  etcd?: readonly string[];
  /** false: clients that connect on first use, for checking specs without touching servers. Default true. */
  connect?: boolean;
}

/** A source with fresh clients; throws if the spec cannot be served here (a SourceSpecError when a key is at fault). */
export function createSource(spec: SourceSpec, environment: SourceEnvironment = {}): RemoteSource {
  const connect = environment.connect ?? true;
  switch (spec.type) {
    case 'redis':
      return createRedisSource(spec, connect);
    case 'redis-cluster':
      return createRedisClusterSource(spec, connect);
    case 'memcache':
      return createMemcacheSource(spec);
    case 'http':
      return createHttpSource(spec);
    case 'peer':
      return createPeerSource(spec, environment.etcd);
  }
}
