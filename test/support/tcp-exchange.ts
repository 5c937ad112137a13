import { connect } from 'node:net';

export interface TcpExchange {
  host?: string;
  port: number;
  /** Bytes to send once connected. */
  send: string;
  /** True once the reply received so far is complete. */
  complete: (reply: string) => boolean;
  timeoutMs?: number;
}

/**
 * One request/reply over a fresh TCP connection, for readiness probes and
 * smoke tests that must not depend on the client library under test.
 */
export function tcpExchange({ host = '127.0.0.1', port, send, complete, timeoutMs = 2000 }: TcpExchange): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let reply = '';
    const finish = (err?: Error): void => {
      socket.destroy();
      if (err) reject(err);
      else resolve(reply);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no complete reply from ${host}:${port} within ${timeoutMs} ms (got ${JSON.stringify(reply)})`)));
    socket.once('error', (err) => finish(err));
    socket.once('connect', () => socket.write(send));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (complete(reply)) finish();
    });
    socket.once('end', () => finish(complete(reply) ? undefined : new Error(`${host}:${port} closed the connection (got ${JSON.stringify(reply)})`)));
  });
}
