import { createHttpSource } from './http-source.js';
import { createMemcacheSource } from './memcache-source.js';
import { createPeerSource } from './peer-source.js';
import { createRedisClusterSource } from './redis-cluster-source.js';
import { createRedisSource } from './redis-source.js';
import type { RemoteSource } from './remote-source.js';
import type { SourceSpec } from './source-spec.js';

/** A source with fresh clients (they connect on first use); throws if the spec cannot be served here. */
export function createSource(spec: SourceSpec): RemoteSource {
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
      return createPeerSource(spec);
  }
}
