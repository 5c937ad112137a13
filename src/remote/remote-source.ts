import type { RemoteKey } from './remote-key.js';
import type { RemoteValue } from './remote-value.js';
import type { SourceSpec } from './source-spec.js';

/**
 * One remote source with its long-lived clients (one set per pool thread).
 * Reads reject with a RemoteError; they never outlive their deadline.
 */
export interface RemoteSource {
  readonly spec: SourceSpec;
  /** The decoded value, or null on a miss. `deadline` is epoch ms (the request's). */
  get(key: RemoteKey, deadline: number): Promise<RemoteValue | null>;
  /** Values aligned with `keys`, null where missing. Any number of keys. */
  mget(keys: readonly RemoteKey[], deadline: number): Promise<(RemoteValue | null)[]>;
  /** Refuses new reads, waits for running ones, then closes the clients. */
  close(): Promise<void>;
}
