import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { experimental } from '@grpc/grpc-js';

export interface ResolvedServer {
  /** As written: "10.0.0.5:21345", "rank-3.internal:21345". */
  address: string;
  endpoint: experimental.Endpoint;
}

/**
 * host:port strings as grpc-js endpoints. IP literals need no lookup; a host
 * name becomes one endpoint holding all its addresses. A name that does not
 * resolve is left out (and reported), so one bad entry does not hide the rest.
 */
export async function lookupEndpoints(addresses: readonly string[], onUnresolved: (address: string, error: Error) => void): Promise<ResolvedServer[]> {
  const resolved = await Promise.all(
    addresses.map(async (address): Promise<ResolvedServer | undefined> => {
      const hostPort = experimental.splitHostPort(address);
      if (hostPort === null || hostPort.port === undefined) {
        onUnresolved(address, new Error('not host:port'));
        return undefined;
      }
      const { host, port } = hostPort;
      if (isIP(host) !== 0) return { address, endpoint: { addresses: [{ host, port }] } };
      try {
        const found = await lookup(host, { all: true });
        return { address, endpoint: { addresses: found.map((entry) => ({ host: entry.address, port })) } };
      } catch (e) {
        onUnresolved(address, e as Error);
        return undefined;
      }
    }),
  );
  return resolved.filter((server): server is ResolvedServer => server !== undefined);
}
