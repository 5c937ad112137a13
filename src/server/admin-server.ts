import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RankdMetrics } from './metrics.js';

export interface AdminServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The admin HTTP port: Prometheus text at /metrics, liveness at /healthz,
 * readiness at /readyz (503 until tables and pool are up, and while draining).
 * It starts before the tables load, so /readyz can say "not yet".
 */
export async function startAdminServer(
  host: string,
  port: number,
  metrics: () => RankdMetrics | undefined,
  ready: () => boolean,
): Promise<AdminServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const ok = ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ready\n' : 'not ready\n');
    } else if (path === '/metrics') {
      const m = metrics();
      if (m === undefined) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('starting\n');
        return;
      }
      m.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': m.registry.contentType }).end(text),
        (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${e.message}\n`),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics, /healthz or /readyz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`admin server cannot listen on ${host}:${port}: ${e.message}`)));
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
