import { connectEtcd } from '../discovery/etcd-connection.js';
import type { RegisteredServer } from '../discovery/registration-value.js';
import { DEFAULT_PREFIX, serviceFolder } from '../discovery/service-key.js';
import { readServiceSnapshot } from '../discovery/service-snapshot.js';

export interface ListServersOptions {
  /** etcd endpoints; default RANKD_ETCD. */
  etcd?: string | readonly string[];
  prefix?: string;
  env: string;
  service?: string;
}

/** The servers registered now, sorted by address, with their metadata. */
export async function listServers(options: ListServersOptions): Promise<RegisteredServer[]> {
  const endpoints = options.etcd ?? process.env.RANKD_ETCD;
  if (endpoints === undefined || endpoints.length === 0) throw new Error('no etcd endpoints: pass --etcd or set RANKD_ETCD');
  const folder = serviceFolder({ prefix: options.prefix ?? DEFAULT_PREFIX, env: options.env, service: options.service ?? 'rankd' });
  const etcd = connectEtcd(endpoints);
  try {
    const snapshot = await readServiceSnapshot(etcd, folder);
    return [...snapshot.servers.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  } finally {
    etcd.close();
  }
}

/** host:port of a server's control service, from its registration (undefined when it did not say). */
export function controlAddress(server: RegisteredServer): string | undefined {
  const port = Number(server.metadata.controlPort);
  if (!Number.isInteger(port) || port <= 0) return undefined;
  return server.address.replace(/:\d+$/, `:${port}`);
}
