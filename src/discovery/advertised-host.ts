import { networkInterfaces } from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/**
 * The host other machines should dial: the configured one; else the listen
 * host when it is a specific address; else the first non-loopback IPv4 of
 * this machine; else loopback (a single-machine setup).
 */
export function advertisedHost(configured: string | undefined, listenHost: string): string {
  if (configured !== undefined && configured !== '') return configured;
  if (!WILDCARDS.has(listenHost)) return listenHost;
  return firstExternalIPv4() ?? '127.0.0.1';
}

export function firstExternalIPv4(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}
