/**
 * rankd/client: call rankd servers found through etcd (or a fixed list, or
 * DNS), balanced by round_robin, ring_hash or p2c, with retries on
 * UNAVAILABLE for idempotent calls.
 *
 *   import { createClient } from 'rankd/client';
 *   const client = createClient({ target: 'etcd:///etcd/prod/rankd', etcd: 'http://10.0.0.5:2379', balancer: 'ring_hash' });
 *   const reply = await client.rank({ userId: 42, candidates: [{ itemId: 7 }] });
 */
export { createClient, type CallOptions, type ClientOptions, type RankdClient } from './rankd-client.js';
export { BALANCERS, type BalancerName, type RetryOptions, type RankMethod } from './service-config.js';
export type { RingHashOptions } from './balancer/load-balancer-ring-hash.js';
export type { P2cOptions } from './balancer/load-balancer-p2c.js';
export { createControlClient, type ControlClient, type StatusReply, type UpdateReply } from './control-client.js';
export { controlAddress, listServers, type ListServersOptions } from './list-servers.js';
export { HASH_KEY_HEADER } from './hash-key.js';
export { registerDiscovery } from './register-discovery.js';
export type { RegisteredServer, ServerMetadata } from '../discovery/registration-value.js';
export type { RankRequestInput } from '../rpc/rank-request.js';
export type { DecodedRankResponse } from '../rpc/rank-response.js';
