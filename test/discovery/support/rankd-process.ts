import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceName } from '../../../src/discovery/service-key.js';
import { serverKey } from '../../../src/discovery/service-key.js';
import { type IniSections, type RankdChild, startRankdChild } from '../../support/rankd-child.js';

/** The probe work beside this file's build: .ts under vitest, .js when a bench runs from dist/. */
const PROBE_WORK = fileURLToPath(new URL(`../fixtures/probe-work${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

export interface RankdProcessOptions {
  /** etcd client URL; without it the server runs stand-alone. */
  etcd?: string;
  service: ServiceName;
  ttlS?: number;
  drainMs?: number;
  weight?: number;
  /** The probe work waits this long per call. */
  delayMs?: number;
}

/** stop() is a SIGTERM: deregister, drain, stop; kill() a SIGKILL: a crash. */
export interface RankdProcess extends Pick<RankdChild, 'pid' | 'running' | 'output' | 'stop' | 'kill' | 'destroy'> {
  /** "127.0.0.1:<query port>", as registered. */
  readonly address: string;
  /** Its discovery key. */
  readonly key: string;
}

/**
 * A rankd child process (test/support/rankd-child.ts) with the probe work
 * added (api "probe", answering with this server's address) and a
 * [discovery] section, registered under its own loopback address.
 */
export async function startRankdProcess(options: RankdProcessOptions): Promise<RankdProcess> {
  const { service, etcd } = options;
  const child = await startRankdChild({
    works: (server) => ({ probe: { module: PROBE_WORK, params: { server, delay_ms: options.delayMs ?? 0 } } }),
    ini: {
      // A piscina task with an abort signal (every rankd request) has a thread to itself
      // whatever tasks_per_thread says, and a queued one can wait behind later ones for
      // seconds: four threads keep the tests' at most four calls in flight from queueing.
      pool: { threads: 4 },
      admin: { port: 0 },
      ...(etcd === undefined ? {} : { discovery: discoverySection(etcd, options) }),
    },
  });
  return Object.assign(child, { address: child.queryAddress, key: serverKey(service, child.queryAddress) });
}

function discoverySection(etcd: string, options: RankdProcessOptions): IniSections[string] {
  const { service } = options;
  return {
    etcd,
    prefix: service.prefix,
    env: service.env,
    service: service.service,
    advertise_host: '127.0.0.1',
    ttl_s: options.ttlS ?? 2,
    drain_ms: options.drainMs ?? 1000,
    weight: options.weight ?? 1,
    zone: 'test-zone',
  };
}
