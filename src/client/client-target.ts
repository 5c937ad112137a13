import { parseServicePath } from '../discovery/service-key.js';
import { ETCD_SCHEME } from './resolver-etcd.js';
import { STATIC_SCHEME } from './resolver-static.js';

/** Schemes grpc-js or rankd resolve as they are. */
const PASS_THROUGH = new Set([ETCD_SCHEME, 'dns', 'ipv4', 'ipv6', 'unix', STATIC_SCHEME]);

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$/;

/**
 * The grpc-js target for a rankd client target:
 *   etcd:///<prefix>/<env>/<service>   servers registered in etcd
 *   host:port,host:port               a fixed list
 *   dns:host:port                     every address of a DNS name
 * Throws a one-line explanation for anything else.
 */
export function channelTarget(target: string): string {
  const trimmed = target.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== undefined && PASS_THROUGH.has(scheme)) {
    if (scheme === ETCD_SCHEME) {
      const match = /^etcd:\/\/[^/]*\/(.+)$/i.exec(trimmed);
      if (match === null) throw new Error(`target ${JSON.stringify(target)}: write etcd:///<prefix>/<env>/<service>`);
      parseServicePath(match[1]!);
    }
    return trimmed;
  }
  const entries = trimmed.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const bad = entries.find((entry) => !HOST_PORT.test(entry));
  if (entries.length === 0 || bad !== undefined) {
    throw new Error(
      `target ${JSON.stringify(target)} is not etcd:///<prefix>/<env>/<service>, dns:<host>:<port> or a host:port list${bad !== undefined ? ` ("${bad}" is not host:port)` : ''}`,
    );
  }
  return `${STATIC_SCHEME}:///${entries.join(',')}`;
}

/** Whether a target is resolved through etcd (and so needs etcd endpoints). */
export function isEtcdTarget(target: string): boolean {
  return /^etcd:/i.test(target.trim());
}
