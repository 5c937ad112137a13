import type { Etcd3, Lease } from 'etcd3';
import { Backoff } from './backoff.js';
import type { DiscoveryLog } from './discovery-log.js';

export interface RegistrarOptions {
  key: string;
  value: string;
  ttlS: number;
  log: DiscoveryLog;
  /** Longest pause between registration attempts (default: half the TTL, at most 5 s). */
  maxRetryMs?: number;
}

/**
 * Keeps one key in etcd under a lease for as long as the server runs.
 *
 * etcd3's Lease never re-grants: once it reports `lost` (etcd was away
 * longer than the TTL, or came back with an empty data dir, or was not
 * reachable at start) it stays revoked. So each loss starts a new lease and
 * puts the key again, retrying with backoff until etcd answers.
 */
export class Registrar {
  private lease: Lease | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private attempts = 0;
  private readonly backoff: Backoff;
  private registeredNow = false;

  constructor(
    private readonly etcd: Etcd3,
    private readonly options: RegistrarOptions,
  ) {
    const maxMs = options.maxRetryMs ?? Math.min(5000, (options.ttlS * 1000) / 2);
    this.backoff = new Backoff({ initialMs: Math.min(100, maxMs), maxMs });
  }

  /** Whether the key is in etcd as far as this process knows. */
  get registered(): boolean {
    return this.registeredNow;
  }

  /** Starts registering in the background; never throws (failures are logged and retried). */
  start(): void {
    this.register();
  }

  /**
   * Revokes the lease, which deletes the key at once, and stops re-registering.
   * Gives up after `timeoutMs` when etcd does not answer: the key then expires with its TTL.
   */
  async deregister(timeoutMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const lease = this.lease;
    this.lease = undefined;
    this.registeredNow = false;
    if (lease === undefined) return;
    const { key, log } = this.options;
    log('deregistering from etcd', { key });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    try {
      const outcome = await Promise.race([lease.revoke().then(() => 'revoked' as const), timeout]);
      if (outcome === 'revoked') log('deregistered from etcd', { key });
      else log('etcd did not answer the lease revoke; the key expires with its TTL', { key, timeoutMs });
    } catch (e) {
      log('could not revoke the etcd lease; the key expires with its TTL', { key, error: (e as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops re-registering without revoking: the key stays until its TTL runs out. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.lease?.release();
    this.lease = undefined;
    this.registeredNow = false;
  }

  private register(): void {
    if (this.stopped) return;
    const { key, value, ttlS, log } = this.options;
    this.attempts++;
    const lease = this.etcd.lease(ttlS);
    this.lease = lease;
    lease.on('lost', (err: Error) => this.retry(lease, 'etcd lease lost', err));
    lease
      .put(key)
      .value(value)
      .then(
        async () => {
          if (lease !== this.lease) return;
          this.registeredNow = true;
          const fields = { key, ttlS, lease: await lease.grant(), attempts: this.attempts };
          this.attempts = 0;
          this.backoff.reset();
          log('registered in etcd', fields);
        },
        (err: Error) => this.retry(lease, 'etcd registration failed', err),
      );
  }

  /** A lease is lost or its put failed: drop it and try a fresh one after a pause. */
  private retry(lease: Lease, what: string, err: Error): void {
    if (lease !== this.lease || this.stopped) return;
    this.lease = undefined;
    this.registeredNow = false;
    // A lease whose put failed may still be alive in etcd; it owns no key, so releasing it is enough.
    lease.release();
    const delayMs = this.backoff.next();
    this.options.log(`${what}; registering again`, { key: this.options.key, error: err.message, retryInMs: delayMs });
    this.retryTimer = setTimeout(() => this.register(), delayMs);
  }
}
