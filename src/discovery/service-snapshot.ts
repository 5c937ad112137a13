import type { Etcd3, IKeyValue } from 'etcd3';
import { decodeRegistration, type RegisteredServer } from './registration-value.js';

export interface ServiceSnapshot {
  /** etcd's revision when the snapshot was taken: a watch from revision + 1 misses nothing. */
  revision: string;
  /** By key. */
  servers: Map<string, RegisteredServer>;
}

/** Every server registered under a service folder, read in one range request. */
export async function readServiceSnapshot(etcd: Etcd3, folder: string): Promise<ServiceSnapshot> {
  const response = await etcd.getAll().prefix(folder).exec();
  const servers = new Map<string, RegisteredServer>();
  for (const kv of response.kvs) {
    const entry = serverEntry(kv, folder);
    if (entry !== undefined) servers.set(entry[0], entry[1]);
  }
  return { revision: response.header.revision, servers };
}

/** A key-value of the folder as [key, server], or undefined when it names no address. */
export function serverEntry(kv: IKeyValue, folder: string): [string, RegisteredServer] | undefined {
  const key = kv.key.toString('utf8');
  const suffix = key.slice(folder.length);
  // Deeper keys belong to something else stored under the folder.
  if (suffix.includes('/')) return undefined;
  const server = decodeRegistration(kv.value.toString('utf8'), suffix);
  return server === undefined ? undefined : [key, server];
}
