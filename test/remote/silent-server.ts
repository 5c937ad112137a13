import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.js';

export type SilentServer = LoopbackServer;

/** A TCP server on 127.0.0.1 that accepts connections and never answers: the hung-server fault. */
export function startSilentServer(): Promise<SilentServer> {
  return startLoopbackServer((socket) => {
    socket.on('error', () => {});
    socket.resume(); // Read and drop whatever arrives.
  });
}
