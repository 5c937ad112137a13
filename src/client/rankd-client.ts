import { type ChannelOptions, credentials, makeGenericClientConstructor, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { decodeCallResponse, encodeCallRequest } from '../rpc/call-codec.js';
import { encodeRankRequest, type RankRequestInput } from '../rpc/rank-request.js';
import { decodeRankResponse, type DecodedRankResponse } from '../rpc/rank-response.js';
import { rankServiceDefinition } from '../server/query-server.js';
import { QUERY_WINDOW_BYTES } from '../server/http2-windows.js';
import type { P2cOptions } from './balancer/load-balancer-p2c.js';
import type { RingHashOptions } from './balancer/load-balancer-ring-hash.js';
import { channelTarget, isEtcdTarget } from './client-target.js';
import { type ControlClient, createControlClient } from './control-client.js';
import { callBodyUserId, HASH_KEY_HEADER } from './hash-key.js';
import { registerDiscovery } from './register-discovery.js';
import { ETCD_ENDPOINTS_OPTION, HOLD_MISSING_OPTION } from './resolver-etcd.js';
import { BALANCERS, type BalancerName, type RankMethod, retriedMethods, type RetryOptions, serviceConfig } from './service-config.js';

export interface ClientOptions {
  /** etcd:///<prefix>/<env>/<service>, a host:port,host:port list, or dns:<host>:<port>. */
  target: string;
  /** Default round_robin. */
  balancer?: BalancerName;
  /** etcd endpoints for an etcd target; default RANKD_ETCD. */
  etcd?: string | readonly string[];
  /** Deadline of a call that names none. Default 5000 ms. */
  deadlineMs?: number;
  /** Queue calls while no server is reachable instead of failing them at once with UNAVAILABLE. */
  waitForReady?: boolean;
  /** Retries on UNAVAILABLE (default: 4 attempts of Rank and Call); false turns them off. */
  retry?: RetryOptions | false;
  ringHash?: RingHashOptions;
  p2c?: P2cOptions;
  /** etcd targets: how long servers missing after an etcd reconnect stay listed (default 10 s). */
  holdMissingMs?: number;
  /** Extra grpc-js channel options. */
  channelOptions?: ChannelOptions;
}

export interface CallOptions {
  deadlineMs?: number;
  /** The ring_hash key; default the request's user id. */
  hashKey?: string;
  waitForReady?: boolean;
}

export interface RankdClient {
  /** Typed ranking. */
  rank(request: RankRequestInput, options?: CallOptions): Promise<DecodedRankResponse>;
  /** Rank with an already encoded RankRequest; resolves with the encoded RankResponse. */
  rankBytes(request: Uint8Array, options?: CallOptions): Promise<Buffer>;
  /** lab_common_so's generic call: a JSON body with an "api" field, the work's JSON reply. */
  call<T = unknown>(body: Record<string, unknown> | string, options?: CallOptions): Promise<T>;
  /** The control service of one server, at its control address. */
  control(address: string, token?: string): ControlClient;
  close(): void;
}

type UnaryMethod = (request: Buffer, metadata: Metadata, options: { deadline: number }, callback: (error: ServiceError | null, reply: Buffer) => void) => void;

const RankServiceClient = makeGenericClientConstructor(rankServiceDefinition, 'Rank');

/** A client of a rankd service: one channel, balancing over every server the target resolves to. */
export function createClient(options: ClientOptions): RankdClient {
  registerDiscovery();
  const balancer = options.balancer ?? 'round_robin';
  if (!BALANCERS.includes(balancer)) throw new Error(`unknown balancer "${String(balancer)}" (one of ${BALANCERS.join(', ')})`);
  const target = channelTarget(options.target);
  const etcd = options.etcd === undefined ? undefined : typeof options.etcd === 'string' ? options.etcd : options.etcd.join(',');
  if (isEtcdTarget(target) && !etcd && !process.env.RANKD_ETCD) throw new Error(`target ${options.target} needs etcd endpoints: pass etcd or set RANKD_ETCD`);
  const client = new RankServiceClient(target, credentials.createInsecure(), {
    'grpc.service_config': JSON.stringify(serviceConfig({ balancer, ringHash: options.ringHash, p2c: options.p2c, retry: options.retry })),
    'grpc.max_send_message_length': 64 << 20,
    'grpc.max_receive_message_length': 64 << 20,
    // Large replies do not wait on WINDOW_UPDATE round trips (Node's default window is 64 KiB).
    'grpc-node.flow_control_window': QUERY_WINDOW_BYTES,
    // A server that restarts on the same address is found again within a second.
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': 1000,
    ...(etcd ? { [ETCD_ENDPOINTS_OPTION]: etcd } : {}),
    ...(options.holdMissingMs !== undefined ? { [HOLD_MISSING_OPTION]: options.holdMissingMs } : {}),
    ...options.channelOptions,
  });
  // Resolve and connect now rather than on the first call.
  client.getChannel().getConnectivityState(true);
  const methods = client as unknown as Record<RankMethod, UnaryMethod>;
  const defaultDeadlineMs = options.deadlineMs ?? 5000;

  const idempotent = retriedMethods(options.retry);

  const attempt = (method: RankMethod, bytes: Buffer, metadata: Metadata, deadline: number) =>
    new Promise<Buffer>((resolve, reject) =>
      methods[method].call(client, bytes, metadata, { deadline }, (error, reply) => (error ? reject(error) : resolve(reply))),
    );

  const unary = async (method: RankMethod, request: Uint8Array, hashKey: string | undefined, call: CallOptions = {}): Promise<Buffer> => {
    const metadata = new Metadata({ waitForReady: call.waitForReady ?? options.waitForReady ?? false });
    const key = call.hashKey ?? hashKey;
    if (key !== undefined) metadata.set(HASH_KEY_HEADER, key);
    const bytes = Buffer.from(request.buffer, request.byteOffset, request.byteLength);
    const deadline = Date.now() + (call.deadlineMs ?? defaultDeadlineMs);
    try {
      return await attempt(method, bytes, metadata.clone(), deadline);
    } catch (e) {
      // gRPC's retryPolicy stops once reply headers arrived: a server killed between its reply's
      // headers and trailers fails the call although nothing was lost. Idempotent calls go once more.
      if ((e as ServiceError).code !== status.UNAVAILABLE || !idempotent.has(method) || Date.now() >= deadline) throw e;
      return attempt(method, bytes, metadata, deadline);
    }
  };

  return {
    async rank(request, call) {
      const userId = request.userId === undefined ? undefined : String(request.userId);
      return decodeRankResponse(await unary('Rank', encodeRankRequest(request), userId, call));
    },
    rankBytes(request, call) {
      return unary('Rank', request, undefined, call);
    },
    async call<T>(body: Record<string, unknown> | string, call?: CallOptions): Promise<T> {
      const json = typeof body === 'string' ? body : JSON.stringify(body);
      const userId = callBodyUserId(typeof body === 'string' ? safeParse(body) : body);
      return JSON.parse(decodeCallResponse(await unary('Call', encodeCallRequest(json), userId, call))) as T;
    },
    control: (address, token) => createControlClient(address, token),
    close: () => client.close(),
  };
}

function safeParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined; // the server reports bad JSON with its own message
  }
}
