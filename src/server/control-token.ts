import { timingSafeEqual } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';

/** True when the call carries `authorization: Bearer <token>` with the right token. */
export function hasToken(metadata: Metadata, token: string): boolean {
  const header = metadata.get('authorization')[0];
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Whether an address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
