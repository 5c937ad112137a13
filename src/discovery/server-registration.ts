import type { DiscoverySection } from '../config/rankd-ini.js';
import { hostPort } from '../server/query-server.js';
import { advertisedHost } from './advertised-host.js';
import type { DiscoveryLog } from './discovery-log.js';
import { connectEtcd } from './etcd-connection.js';
import { Registrar } from './registrar.js';
import { encodeRegistration, type ServerMetadata } from './registration-value.js';
import { serverKey } from './service-key.js';

export interface RunningServer {
  /** The query server's listen host (a wildcard means "advertise an interface address"). */
  listenHost: string;
  queryPort: number;
  controlPort: number;
  version: string;
  startTime: Date;
}

export interface ServerRegistration {
  readonly key: string;
  readonly address: string;
  /** Whether the key is in etcd now (false while etcd is unreachable or the lease was lost). */
  readonly registered: boolean;
  /** Deletes the key (lease revoke) and stops re-registering; bounded by `timeoutMs`. */
  deregister(timeoutMs?: number): Promise<void>;
  /** Releases the etcd connection. */
  close(): void;
}

/** Registers a running server under its discovery key and keeps it there until deregistered. */
export function registerServer(discovery: DiscoverySection, server: RunningServer, log: DiscoveryLog): ServerRegistration {
  const address = hostPort(advertisedHost(discovery.advertiseHost, server.listenHost), server.queryPort);
  const key = serverKey(discovery, address);
  const metadata: ServerMetadata = {
    version: server.version,
    weight: discovery.weight,
    zone: discovery.zone,
    startTime: server.startTime.toISOString(),
    controlPort: server.controlPort,
  };
  const etcd = connectEtcd(discovery.etcd, { callTimeoutMs: Math.min(3000, discovery.ttlS * 1000) });
  const registrar = new Registrar(etcd, { key, value: encodeRegistration({ address, metadata }), ttlS: discovery.ttlS, log });
  registrar.start();
  return {
    key,
    address,
    get registered() {
      return registrar.registered;
    },
    deregister: (timeoutMs = 1000) => registrar.deregister(timeoutMs),
    close() {
      registrar.close();
      etcd.close();
    },
  };
}
