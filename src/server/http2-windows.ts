import type { Http2Server, ServerHttp2Session } from 'node:http2';
import type { Server } from '@grpc/grpc-js';

/** HTTP/2 flow-control window for query connections, per stream and per connection. */
export const QUERY_WINDOW_BYTES = 8 << 20;

/**
 * Widens the HTTP/2 windows of a bound grpc-js server. grpc-js 1.14 servers keep
 * Node's 64 KiB defaults (server support is upstream PR grpc-node#3058), so a
 * 74 KB Rank request stalls on a WINDOW_UPDATE round trip and many streams
 * share one 64 KiB connection window: a bare echo of such requests ran 2.5×
 * faster with 4 MiB windows. Reaches into grpc-js's private `http2Servers`
 * (the version is pinned exactly); does nothing if that ever changes.
 */
export function widenHttp2Windows(server: Server, bytes: number = QUERY_WINDOW_BYTES): void {
  const servers = (server as unknown as { http2Servers?: Map<Http2Server, unknown> }).http2Servers;
  if (!(servers instanceof Map)) return;
  for (const http2Server of servers.keys()) {
    http2Server.updateSettings({ initialWindowSize: bytes });
    http2Server.on('session', (session: ServerHttp2Session) => session.setLocalWindowSize(bytes));
  }
}
