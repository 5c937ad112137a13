import type { ReadDeadline } from './read-deadline.js';
import type { RawValue } from './remote-value.js';

/**
 * One server's client (or one client for a whole cluster or discovery
 * target): what each source type implements. Sharding, deadlines, decoding,
 * error wrapping and close-after-reads are ShardedSource's.
 */
export interface ShardReader {
  /** "127.0.0.1:6379", for errors. */
  readonly server: string;
  /** Raw values aligned with `keys`, null on a miss. Rejects with any Error. */
  read(keys: string[], deadline: ReadDeadline): Promise<RawValue[]>;
  /** Why the server is known to be unreachable right now (fail fast), else undefined. */
  downReason?(): string | undefined;
  /** What the client is doing, added to timeout messages ("connecting", "reconnecting after ECONNREFUSED"). */
  state?(): string | undefined;
  close(): Promise<void>;
}
