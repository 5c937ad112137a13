import {
  type sendUnaryData,
  Server,
  type ServerUnaryCall,
  type ServiceDefinition,
  ServerCredentials,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { RequestError } from '../rpc/request-error.js';
import { callDeadline } from './call-deadline.js';
import type { Dispatch } from './dispatch.js';
import { widenHttp2Windows } from './http2-windows.js';
import type { RankdMetrics } from './metrics.js';

const identity = (b: Buffer): Buffer => b;

function method(name: string) {
  return {
    path: `/rankd.v1.Rank/${name}`,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

/** The Rank service with bytes in and bytes out: decoding happens in the pool (DESIGN rule 1). */
export const rankServiceDefinition: ServiceDefinition = { Rank: method('Rank'), Call: method('Call') };

/**
 * Whether grpc-js's request Buffer has its ArrayBuffer to itself, past the
 * 5-byte gRPC frame header it was read with: true of messages from 4 KiB up
 * (smaller ones are slices of Node's shared pool). grpc-js reads it no more
 * once the handler has it, so such a request can be handed to a pool thread
 * without a copy.
 */
function ownsItsMemory(request: Buffer): boolean {
  return request.byteOffset === 5 && request.buffer.byteLength === request.byteLength + 5;
}

export interface QueryServerOptions {
  host: string;
  port: number;
  defaultDeadlineMs: number;
  maxMessageBytes: number;
}

export function rankServiceHandlers(dispatch: Dispatch, defaultDeadlineMs: number, metrics?: RankdMetrics): UntypedServiceImplementation {
  const handler =
    (m: 'rank' | 'call') =>
    (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
      const start = performance.now();
      dispatch.run(m, call.request, callDeadline(call, defaultDeadlineMs), ownsItsMemory(call.request)).then(
        ({ bytes, api, reads }) => {
          metrics?.request(api, m, 0, (performance.now() - start) / 1000);
          if (reads !== undefined) for (const r of reads) metrics?.remote(r.source, r.seconds, r.failed);
          callback(null, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        },
        (e: unknown) => {
          const err = e instanceof RequestError ? e : new RequestError(status.INTERNAL, String(e));
          metrics?.request(err.api, m, err.code, (performance.now() - start) / 1000);
          try {
            callback({ code: err.code, details: err.message, name: 'RequestError', message: err.message });
          } catch {
            // Whatever a status cannot carry (grpc-js throws on some header text) must not kill the process.
            callback({ code: err.code, details: 'the request was refused (the reason could not be sent)' });
          }
        },
      );
    };
  return { Rank: handler('rank'), Call: handler('call') };
}

export async function startQueryServer(
  dispatch: Dispatch,
  options: QueryServerOptions,
  extraServices: (server: Server) => void = () => {},
  metrics?: RankdMetrics,
): Promise<{ server: Server; port: number }> {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': options.maxMessageBytes,
    // Nothing reads channelz here (metrics and Status are rankd's own), and its per-call
    // bookkeeping cost the main thread ~5 µs of ~150 a call (bench:engine A/B, 8 runs each).
    'grpc.enable_channelz': 0,
  });
  server.addService(rankServiceDefinition, rankServiceHandlers(dispatch, options.defaultDeadlineMs, metrics));
  extraServices(server);
  const port = await bind(server, `${hostPort(options.host, options.port)}`, ServerCredentials.createInsecure());
  widenHttp2Windows(server);
  return { server, port };
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function bind(server: Server, address: string, creds: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, creds, (err, port) => (err ? reject(new Error(`cannot listen on ${address}: ${err.message}`)) : resolve(port))),
  );
}
