import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { decodeCallRequest, encodeCallResponse } from '../../../src/rpc/call-codec.js';
import { rankServiceDefinition } from '../../../src/server/query-server.js';

/** What a tiny server answers to Call: who served it. */
export interface ServedBy {
  server: string;
  body: Record<string, unknown>;
}

export interface TinyRankServer {
  readonly address: string;
  /** Calls answered so far. */
  readonly calls: number;
  /** Milliseconds each Call waits before answering. */
  delayMs: number;
  stop(): Promise<void>;
}

/**
 * A gRPC server speaking rankd's Rank service on a free loopback port, whose
 * Call answers with its own address. For balancer tests that need many
 * servers with exact latencies and no engine behind them; the discovery
 * integration tests use real rankd processes.
 */
export async function startTinyRankServer(delayMs = 0): Promise<TinyRankServer> {
  const server = new Server();
  let address = '';
  let calls = 0;
  const state = {
    get address() {
      return address;
    },
    get calls() {
      return calls;
    },
    delayMs,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
  server.addService(rankServiceDefinition, {
    Call(call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) {
      calls++;
      const body = JSON.parse(decodeCallRequest(call.request)) as Record<string, unknown>;
      const reply = (): void => callback(null, Buffer.from(encodeCallResponse(JSON.stringify({ server: address, body } satisfies ServedBy))));
      if (state.delayMs > 0) setTimeout(reply, state.delayMs);
      else reply();
    },
    Rank(_call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) {
      callback({ code: 12, details: 'tiny server: Rank not implemented' });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  address = `127.0.0.1:${port}`;
  return state;
}
