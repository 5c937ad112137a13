import { createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './free-port.js';

/** A TCP server on a free 127.0.0.1 port that counts its connections and drops those still open when it closes. */
export interface LoopbackServer {
  port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/**
 * Starts one. `onConnection` gets each accepted socket (already tracked) and
 * `track`, for other sockets that must be dropped with the server too.
 */
export async function startLoopbackServer(onConnection: (socket: Socket, track: (other: Socket) => void) => void): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    track(socket);
    onConnection(socket, track);
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
