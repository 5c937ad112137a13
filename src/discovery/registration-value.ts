/**
 * The value stored under a server's key: etcd's Go naming format
 * `{"Addr":"host:port","Metadata":{...}}`, so Go clients of
 * `etcd:///<prefix>/<env>/<service>` understand it too.
 */

/** What rankd writes into Metadata; other writers may leave any of it out. */
export interface ServerMetadata {
  version?: string;
  /** Relative share of ring_hash keys; 1 when absent. */
  weight?: number;
  zone?: string;
  /** ISO time the server process started. */
  startTime?: string;
  controlPort?: number;
  [key: string]: unknown;
}

export interface RegisteredServer {
  /** host:port clients dial. */
  address: string;
  metadata: ServerMetadata;
}

export function encodeRegistration(server: RegisteredServer): string {
  return JSON.stringify({ Addr: server.address, Metadata: server.metadata });
}

/**
 * Reads a value written by rankd or another registrar of the same layout. The
 * key's last segment stands in for a value that is not JSON (the seed's
 * key-suffix resolver stored plain addresses). Undefined when neither names an address.
 */
export function decodeRegistration(value: string, keySuffix: string): RegisteredServer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as { Addr?: unknown; Metadata?: unknown }) : undefined;
  const address = typeof record?.Addr === 'string' && record.Addr !== '' ? record.Addr : keySuffix;
  if (!/^(\[[0-9a-fA-F:.]+\]|[^:/\s]+):\d{1,5}$/.test(address)) return undefined;
  const metadata = typeof record?.Metadata === 'object' && record.Metadata !== null ? (record.Metadata as ServerMetadata) : {};
  return { address, metadata };
}

/** The weight a balancer should use: positive and finite, else 1. */
export function serverWeight(metadata: ServerMetadata): number {
  const weight = Number(metadata.weight);
  return Number.isFinite(weight) && weight > 0 ? weight : 1;
}
