import { experimental } from '@grpc/grpc-js';
import type { ServerMetadata } from '../discovery/registration-value.js';

/**
 * How a resolver hands server metadata (weights…) to the balancers: a
 * resolver attribute, which grpc-js merges into the options the balancer
 * receives. The key carries grpc-js's "not a subchannel argument" prefix, so
 * a changed map does not make grpc-js open new connections.
 */
export const SERVER_METADATA_ATTRIBUTE = `${experimental.SUBCHANNEL_ARGS_EXCLUDE_KEY_PREFIX}.rankd.server_metadata`;

/** Metadata by endpoint (`experimental.endpointToString`). */
export type ServerMetadataByEndpoint = ReadonlyMap<string, ServerMetadata>;

export function serverMetadataOf(options: Record<string, unknown>): ServerMetadataByEndpoint {
  const value = options[SERVER_METADATA_ATTRIBUTE];
  return value instanceof Map ? (value as ServerMetadataByEndpoint) : new Map();
}
