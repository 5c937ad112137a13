/**
 * Another rankd (or anything serving rankd's Call): one gRPC client per
 * listed server, or one round-robin channel over a discovery target
 * (etcd:///<prefix>/<env>/<service>, through rankd's etcd resolver). A read
 * is one Call per server: {"api": <api>, "keys": [...]} answered by
 * {"values": [...]} aligned with the keys, each a stored value as a string
 * or null for a miss (decoded here per the source's `value`).
 */
import { type ChannelOptions, credentials, experimental, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js';
import { registerDiscovery } from '../client/register-discovery.js';
import { ETCD_ENDPOINTS_OPTION, ETCD_SCHEME, etcdTargetProblem } from '../client/resolver-etcd.js';
import { decodeCallResponse, encodeCallRequest } from '../rpc/call-codec.js';
import { rankServiceDefinition } from '../server/query-server.js';
import type { ReadDeadline } from './read-deadline.js';
import type { RawValue } from './remote-value.js';
import type { RemoteSource } from './remote-source.js';
import type { ShardReader } from './shard-reader.js';
import { ShardedSource } from './sharded-source.js';
import { serverText, type PeerSourceSpec } from './source-spec.js';
import { SourceSpecError } from './source-spec-error.js';

/** `etcd`: the endpoints an etcd:/// target resolves through (default RANKD_ETCD). */
export function createPeerSource(spec: PeerSourceSpec, etcd: readonly string[] | undefined): RemoteSource {
  const channelOptions: ChannelOptions = etcd === undefined || etcd.length === 0 ? {} : { [ETCD_ENDPOINTS_OPTION]: etcd.join(',') };
  if (spec.discovery !== undefined) {
    // In whichever thread builds the source (pool threads too): grpc-js's resolvers are per thread.
    registerDiscovery();
    requireResolver(spec.name, spec.discovery, channelOptions);
    return new ShardedSource(spec, [new PeerShard(spec.api, spec.discovery, spec.discovery, channelOptions)]);
  }
  return new ShardedSource(
    spec,
    spec.servers.map((server) => new PeerShard(spec.api, serverText(server), serverText(server), channelOptions)),
  );
}

type UnaryCall = (request: Buffer, metadata: Metadata, options: { deadline: number }, callback: (err: ServiceError | null, reply: Buffer) => void) => void;
interface RankClient {
  Call: UnaryCall;
  close(): void;
}

const RankClientConstructor = makeGenericClientConstructor(rankServiceDefinition, 'Rank');
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

class PeerShard implements ShardReader {
  private readonly client: RankClient;

  constructor(
    private readonly api: string,
    readonly server: string,
    target: string,
    channelOptions: ChannelOptions,
  ) {
    this.client = new RankClientConstructor(target, credentials.createInsecure(), {
      ...channelOptions,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      // A discovery target resolves to many servers: spread calls over them.
      'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    }) as unknown as RankClient;
  }

  read(keys: string[], deadline: ReadDeadline): Promise<RawValue[]> {
    const request = Buffer.from(encodeCallRequest(JSON.stringify({ api: this.api, keys })));
    return new Promise((resolve, reject) => {
      this.client.Call(request, new Metadata(), { deadline: deadline.at }, (err, reply) => {
        if (err) reject(new Error(`Call failed: ${err.details || err.message} (gRPC status ${err.code})`));
        else {
          try {
            resolve(valuesOf(decodeCallResponse(reply), keys.length, this.api));
          } catch (e) {
            reject(e as Error);
          }
        }
      });
    });
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

function valuesOf(json: string, expected: number, api: string): RawValue[] {
  let reply: unknown;
  try {
    reply = JSON.parse(json);
  } catch {
    throw new Error(`api "${api}" answered something other than JSON`);
  }
  const values = (reply as { values?: unknown } | null)?.values;
  if (!Array.isArray(values)) throw new Error(`api "${api}" answered without a "values" array (expected {"values": [string or null, ...]})`);
  if (values.length !== expected) throw new Error(`api "${api}" answered ${values.length} values for ${expected} keys`);
  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    if (value !== null && typeof value !== 'string') {
      throw new Error(`api "${api}" answered a ${typeof value} at position ${i}; values are stored strings or null`);
    }
  }
  return values as RawValue[];
}

/**
 * grpc-js would quietly treat an unknown scheme as a DNS name, and an etcd
 * target without endpoints or with a bad path would resolve to nothing:
 * every call would fail. Refuse up front and say why instead.
 */
function requireResolver(source: string, target: string, channelOptions: ChannelOptions): void {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]*)\/(.*)$/.exec(target);
  if (match === null) throw new SourceSpecError(source, 'target', `target ${target} is not a scheme://authority/path URI`);
  const uri = { scheme: match[1]!, authority: match[2]!, path: match[3]! };
  try {
    const resolver = experimental.createResolver(uri, () => false, channelOptions);
    resolver.destroy();
  } catch {
    throw new SourceSpecError(
      source,
      'target',
      `target ${target} needs service discovery (a gRPC resolver for "${uri.scheme}:"), which rankd does not have; ` +
        'use etcd:///<prefix>/<env>/<service>, or list the peers as host:port',
    );
  }
  const problem = uri.scheme === ETCD_SCHEME ? etcdTargetProblem(uri, channelOptions, 'set etcd in rankd.ini [discovery], or RANKD_ETCD') : undefined;
  if (problem !== undefined) throw new SourceSpecError(source, 'target', `target ${target} cannot resolve: ${problem}`);
}
