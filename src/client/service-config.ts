import { P2C, type P2cOptions } from './balancer/load-balancer-p2c.js';
import { RING_HASH, type RingHashOptions } from './balancer/load-balancer-ring-hash.js';
import { ROUND_ROBIN } from './balancer/load-balancer-round-robin.js';

export type BalancerName = 'round_robin' | 'ring_hash' | 'p2c';

export const BALANCERS: readonly BalancerName[] = ['round_robin', 'ring_hash', 'p2c'];

export type RankMethod = 'Rank' | 'Call';

export interface RetryOptions {
  /** Tries in all, first included (grpc-js caps it at 5). Default 4. */
  maxAttempts?: number;
  /**
   * Methods safe to send twice. Default both: works compute replies from
   * read-only data. Leave Call out when your works have side effects.
   */
  methods?: readonly RankMethod[];
}

export interface ServiceConfigOptions {
  balancer: BalancerName;
  ringHash?: RingHashOptions;
  p2c?: P2cOptions;
  /** false: no retries. */
  retry?: RetryOptions | false;
}

const POLICY_NAMES: Record<BalancerName, string> = { round_robin: ROUND_ROBIN, ring_hash: RING_HASH, p2c: P2C };

/**
 * grpc's service config for a rankd channel: the balancer, and a retryPolicy
 * on UNAVAILABLE for idempotent methods, so a call that met a server just as
 * it died (kill -9, network cut) is sent again to another one.
 */
export function serviceConfig(options: ServiceConfigOptions): object {
  const policyConfig = options.balancer === 'ring_hash' ? (options.ringHash ?? {}) : options.balancer === 'p2c' ? (options.p2c ?? {}) : {};
  const methodConfig: object[] = [];
  if (options.retry !== false) {
    const { maxAttempts = 4 } = options.retry ?? {};
    const methods = [...retriedMethods(options.retry)];
    if (!Number.isInteger(maxAttempts) || maxAttempts < 2) throw new Error(`retry.maxAttempts must be an integer >= 2, got ${String(maxAttempts)}`);
    if (methods.length > 0) {
      methodConfig.push({
        name: methods.map((method) => ({ service: 'rankd.v1.Rank', method })),
        retryPolicy: {
          maxAttempts,
          initialBackoff: '0.01s',
          maxBackoff: '0.2s',
          backoffMultiplier: 2,
          retryableStatusCodes: ['UNAVAILABLE'],
        },
      });
    }
  }
  return { loadBalancingConfig: [{ [POLICY_NAMES[options.balancer]]: policyConfig }], methodConfig };
}

/** The methods a client may send again (the idempotent ones). */
export function retriedMethods(retry: RetryOptions | false | undefined): ReadonlySet<RankMethod> {
  return new Set(retry === false ? [] : (retry?.methods ?? ['Rank', 'Call']));
}
