/** What the standalone and cluster Redis sources share about their ioredis clients. */
import type { Cluster, Redis } from 'ioredis';
import type { RedisSourceSpec } from './source-spec.js';

/** Client settings for both kinds (for a cluster, its nodes' settings); `connect` false only to check a spec. */
export function ioredisConnectionOptions(spec: RedisSourceSpec, connect: boolean) {
  return {
    username: spec.username,
    password: spec.password,
    // Connect when built, so the first requests (and those right after
    // UpdateDb) find a warm connection; a server that is not there costs a
    // reconnect attempt every 2 s, nothing else.
    lazyConnect: !connect,
    connectTimeout: Math.max(1000, spec.timeoutMs),
    // A server that accepts and never answers is dropped (and reconnected)
    // instead of holding queued commands forever.
    socketTimeout: Math.max(2000, 4 * spec.timeoutMs),
    // Deadlines are ours; a queued command waits for at most one reconnect.
    maxRetriesPerRequest: 1,
    connectionName: 'rankd',
  };
}

/** QUIT when connected (pending replies arrive first), else just drop the socket. */
export async function closeIoredis(client: Redis | Cluster): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Fall through: the connection is gone anyway.
    }
  }
  client.disconnect();
}

/** States in which the client has lost its server and is waiting to reconnect. */
const LOST = new Set(['reconnecting', 'close', 'end', 'disconnecting']);

/**
 * Connection state of a client, so reads fail at once with the reason while
 * a server is known to be down instead of queueing until their deadline,
 * and timeouts say what the client was doing.
 */
export class IoredisState {
  private lastError: Error | undefined;

  constructor(private readonly client: Redis | Cluster) {
    // Without an 'error' listener ioredis prints every failed reconnect.
    client.on('error', (err: Error) => {
      this.lastError = err;
    });
    client.on('ready', () => {
      this.lastError = undefined;
    });
  }

  downReason(): string | undefined {
    if (!LOST.has(this.client.status)) return undefined;
    return `server unreachable, ${this.client.status}${this.lastError === undefined ? ' (connection lost)' : ` after: ${this.lastError.message}`}`;
  }

  state(): string | undefined {
    const status = this.client.status;
    if (status === 'ready') return undefined;
    const waiting = `client not ready (${status})`;
    return this.lastError === undefined ? waiting : `${waiting}; last error: ${this.lastError.message}`;
  }
}
