import { connect, type Socket } from 'node:net';
import { startLoopbackServer } from './loopback-server.js';

export interface DelayProxy {
  /** The proxy's port on 127.0.0.1: point clients here instead of at the target. */
  readonly port: number;
  /** Added to every chunk in both directions; change it any time (order is kept). */
  delayMs: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free loopback port that forwards to `target` with a
 * configurable delay: the slow-server fault (Redis, memcached…) without
 * touching the server. A connection the target refuses or drops is dropped
 * on the client side too.
 */
export async function startDelayProxy(target: { host?: string; port: number }, delayMs = 0): Promise<DelayProxy> {
  const state = { delayMs };
  const server = await startLoopbackServer((client, track) => {
    const upstream = connect({ host: target.host ?? '127.0.0.1', port: target.port });
    track(upstream);
    for (const socket of [client, upstream]) {
      // Either side failing ends both: the other side sees a dropped connection, as it would with no proxy.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream, () => state.delayMs);
    forward(upstream, client, () => state.delayMs);
  });
  return {
    port: server.port,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    get accepted() {
      return server.accepted;
    },
    close: () => server.close(),
  };
}

/** Copies `from` to `to`, each chunk (and the end) `delay()` ms after it arrived, never overtaking an earlier one. */
function forward(from: Socket, to: Socket, delay: () => number): void {
  let lastDue = 0;
  const later = (action: () => void): void => {
    const due = Math.max(Date.now() + delay(), lastDue);
    lastDue = due;
    setTimeout(action, due - Date.now());
  };
  from.on('data', (chunk: Buffer) => later(() => to.destroyed || to.write(chunk)));
  from.on('end', () => later(() => to.destroyed || to.end()));
  from.on('close', (hadError: boolean) => {
    if (hadError) later(() => to.destroy());
  });
}
