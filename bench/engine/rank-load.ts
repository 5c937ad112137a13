/**
 * A closed-loop load generator: `concurrency` calls always in flight, for a
 * fixed time, over pre-encoded request bytes.
 *
 * It speaks gRPC over node:http2 directly: one connection, each call a POST
 * of a pre-framed message, its status read from the trailers. The server is
 * what is measured, and the generator shares its 2 cores: a grpc-js client
 * spent ~260 µs of CPU per 74 KB call here, this one 77–111. bench:models
 * loads with it; bench:engine, whose calls are the heaviest, with the C
 * generator (c-rank-load.ts, ~30 µs). Every reply is still checked: HTTP
 * status, grpc-status, and a gRPC frame whose length matches the bytes
 * received.
 */
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { QUERY_WINDOW_BYTES } from '../../src/server/http2-windows.js';

export interface LoadResult {
  calls: number;
  failed: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  firstError?: string;
}

export interface RankLoadClient {
  /** Calls Rank with one framed request; resolves to undefined or what went wrong. */
  call(framed: Buffer): Promise<string | undefined>;
  close(): void;
}

const { HTTP2_HEADER_METHOD, HTTP2_HEADER_PATH, HTTP2_HEADER_CONTENT_TYPE, HTTP2_HEADER_TE, HTTP2_HEADER_STATUS } = constants;

const RANK_HEADERS = {
  [HTTP2_HEADER_METHOD]: 'POST',
  [HTTP2_HEADER_PATH]: '/rankd.v1.Rank/Rank',
  [HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
  [HTTP2_HEADER_TE]: 'trailers',
  'grpc-timeout': '5S',
};

/** A gRPC length-prefixed message: flag byte 0 (not compressed), 4-byte big-endian length, bytes. */
export function grpcFrame(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(5 + message.byteLength);
  framed[0] = 0;
  framed.writeUInt32BE(message.byteLength, 1);
  framed.set(message, 5);
  return framed;
}

export function rankLoadClient(address: string): RankLoadClient {
  const session: ClientHttp2Session = connect(`http://${address}`, {
    // Wide windows and frames, as rankd's own client sets: replies never wait on WINDOW_UPDATEs.
    settings: { initialWindowSize: QUERY_WINDOW_BYTES, maxFrameSize: 1 << 20 },
  });
  session.on('connect', () => session.setLocalWindowSize(QUERY_WINDOW_BYTES));
  session.on('error', () => {}); // each stream reports its own failure
  return {
    call: (framed) =>
      new Promise((resolve) => {
        const stream = session.request(RANK_HEADERS);
        let received = 0;
        let first: Buffer | undefined;
        let problem: string | undefined;
        const checkStatus = (h: IncomingHttpHeaders) => {
          const code = h['grpc-status'];
          if (code !== undefined && code !== '0') problem ??= `${String(code)}: ${String(h['grpc-message'] ?? '')}`;
          return code !== undefined;
        };
        let sawStatus = false;
        stream.on('response', (h) => {
          if (Number(h[HTTP2_HEADER_STATUS]) !== 200) problem ??= `HTTP ${String(h[HTTP2_HEADER_STATUS])}`;
          sawStatus = checkStatus(h); // a trailers-only reply carries its status here
        });
        stream.on('data', (chunk: Buffer) => {
          first ??= chunk;
          received += chunk.length;
        });
        stream.on('trailers', (h) => (sawStatus = checkStatus(h) || sawStatus));
        stream.on('error', (e) => (problem ??= e.message));
        stream.on('close', () => {
          if (problem === undefined && !sawStatus) problem = `stream closed without a gRPC status (code ${stream.rstCode})`;
          if (problem === undefined && (first === undefined || first.length < 5 || first.readUInt32BE(1) + 5 !== received)) {
            problem = `a reply of ${received} bytes is not one gRPC message`;
          }
          resolve(problem);
        });
        stream.end(framed);
      }),
    close: () => session.close(),
  };
}

export async function runLoad(client: RankLoadClient, requests: readonly Uint8Array[], concurrency: number, durationMs: number): Promise<LoadResult> {
  const framed = requests.map(grpcFrame);
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const end = performance.now() + durationMs;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const problem = await client.call(framed[next++ % framed.length]!);
        if (problem === undefined) latencies.push(performance.now() - t);
        else {
          failed++;
          firstError ??= problem;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { calls: latencies.length + failed, failed, rps: latencies.length / seconds, p50Ms: q(0.5), p99Ms: q(0.99), firstError };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
