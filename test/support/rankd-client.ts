import { credentials, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js';
import { createControlClient } from '../../src/client/control-client.js';
import { decodeCallResponse, encodeCallRequest } from '../../src/rpc/call-codec.js';
import { encodeRankRequest, type RankRequestInput } from '../../src/rpc/rank-request.js';
import { decodeRankResponse, type DecodedRankResponse } from '../../src/rpc/rank-response.js';
import { rankServiceDefinition } from '../../src/server/query-server.js';

type Unary = (req: Buffer, md: Metadata, opts: { deadline?: number }, cb: (e: ServiceError | null, r: Buffer) => void) => void;

/** A test client of the query service: Rank and Call, with bytes encoded by rankd's codecs. */
export function rankClient(address: string) {
  const Client = makeGenericClientConstructor(rankServiceDefinition, 'Rank');
  const client = new Client(address, credentials.createInsecure(), {
    'grpc.max_send_message_length': 64 << 20,
    'grpc.max_receive_message_length': 64 << 20,
  }) as unknown as { Rank: Unary; Call: Unary; close(): void };
  const unary = (m: 'Rank' | 'Call', bytes: Uint8Array, deadlineMs: number) =>
    new Promise<Buffer>((resolve, reject) =>
      client[m](Buffer.from(bytes), new Metadata(), { deadline: Date.now() + deadlineMs }, (e, r) => (e ? reject(e) : resolve(r))),
    );
  return {
    rankBytes: (bytes: Uint8Array, deadlineMs = 10_000) => unary('Rank', bytes, deadlineMs),
    async rank(input: RankRequestInput, deadlineMs = 10_000): Promise<DecodedRankResponse> {
      return decodeRankResponse(await unary('Rank', encodeRankRequest(input), deadlineMs));
    },
    async call(body: unknown, deadlineMs = 10_000): Promise<unknown> {
      const json = typeof body === 'string' ? body : JSON.stringify(body);
      return JSON.parse(decodeCallResponse(await unary('Call', encodeCallRequest(json), deadlineMs)));
    },
    close: () => client.close(),
  };
}

/** A test client of the control service: the one rankd/client ships. */
export function controlClient(address: string, token: string | undefined) {
  return createControlClient(address, token);
}
