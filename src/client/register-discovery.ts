import { registerP2c } from './balancer/load-balancer-p2c.js';
import { registerRingHash } from './balancer/load-balancer-ring-hash.js';
import { registerRoundRobin } from './balancer/load-balancer-round-robin.js';
import { registerEtcdResolver } from './resolver-etcd.js';
import { registerStaticResolver } from './resolver-static.js';

let registered = false;

/**
 * Makes rankd's resolvers (etcd:///, static lists) and balancers
 * (rankd_round_robin, rankd_ring_hash, rankd_p2c) known to grpc-js, for
 * createClient and for anyone building grpc-js clients by hand. Idempotent.
 */
export function registerDiscovery(): void {
  if (registered) return;
  registered = true;
  registerEtcdResolver();
  registerStaticResolver();
  registerRoundRobin();
  registerRingHash();
  registerP2c();
}
