/**
 * The etcd key layout of the discovery seed: one key per server,
 * `/<prefix>/<env>/<service>/<host:port>`. A client watches the service's
 * folder (`/<prefix>/<env>/<service>/`), so the trailing slash matters: it
 * keeps service "rank" from matching "ranker".
 */

export interface ServiceName {
  /** First key segment; the seed's default is "etcd". */
  prefix: string;
  env: string;
  service: string;
}

export const DEFAULT_PREFIX = 'etcd';

/** The folder every server of the service registers under, with its trailing slash. */
export function serviceFolder({ prefix, env, service }: ServiceName): string {
  for (const [what, value] of [['prefix', prefix], ['env', env], ['service', service]] as const) {
    if (value === '' || value.includes('/')) throw new Error(`discovery ${what} ${JSON.stringify(value)} must be non-empty and contain no "/"`);
  }
  return `/${prefix}/${env}/${service}/`;
}

export function serverKey(name: ServiceName, address: string): string {
  return `${serviceFolder(name)}${address}`;
}

/** "etcd/prod/rankd" or "/etcd/prod/rankd/" (a target's path) → its parts. */
export function parseServicePath(path: string): ServiceName {
  const parts = path.split('/').filter((part) => part !== '');
  if (parts.length !== 3) {
    throw new Error(`"${path}" is not <prefix>/<env>/<service> (e.g. etcd:///etcd/prod/rankd)`);
  }
  const [prefix, env, service] = parts as [string, string, string];
  return { prefix, env, service };
}
