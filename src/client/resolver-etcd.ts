import { type ChannelOptions, experimental, Metadata, status } from '@grpc/grpc-js';
import type { Etcd3 } from 'etcd3';
import { connectEtcd } from '../discovery/etcd-connection.js';
import type { RegisteredServer, ServerMetadata } from '../discovery/registration-value.js';
import { parseServicePath, serviceFolder } from '../discovery/service-key.js';
import { ServiceWatch } from '../discovery/service-watch.js';
import { lookupEndpoints } from './endpoint-lookup.js';
import { SERVER_METADATA_ATTRIBUTE } from './server-metadata-attribute.js';

/** Target scheme: etcd:///<prefix>/<env>/<service>, the Go naming resolver's form. */
export const ETCD_SCHEME = 'etcd';

/** Channel option naming the etcd endpoints (comma-separated); not passed on to connections. */
export const ETCD_ENDPOINTS_OPTION = `${experimental.SUBCHANNEL_ARGS_EXCLUDE_KEY_PREFIX}.rankd.etcd_endpoints`;
/** Channel option: how long servers missing after an etcd reconnect stay listed (ms). */
export const HOLD_MISSING_OPTION = `${experimental.SUBCHANNEL_ARGS_EXCLUDE_KEY_PREFIX}.rankd.hold_missing_ms`;

function etcdEndpoints(options: ChannelOptions): string | undefined {
  return (options[ETCD_ENDPOINTS_OPTION] as string | undefined) || process.env.RANKD_ETCD || undefined;
}

/**
 * Why an etcd target cannot resolve with these channel options (a bad path,
 * no endpoints), or undefined; the resolver would fail every call with it.
 * `whereEndpoints` says where the caller's user sets endpoints.
 */
export function etcdTargetProblem(
  target: experimental.GrpcUri,
  options: ChannelOptions,
  whereEndpoints = "pass the client's etcd option or set RANKD_ETCD",
): string | undefined {
  try {
    parseServicePath(target.path);
  } catch (e) {
    return (e as Error).message;
  }
  if (etcdEndpoints(options) === undefined) {
    return `no etcd endpoints for ${experimental.uriToString(target)}: ${whereEndpoints}`;
  }
  return undefined;
}

/**
 * grpc-js resolver for etcd targets. It pushes a list only when it changed:
 * grpc-js asks for re-resolution whenever a connection drops, and answering
 * each request with the same list loops thousands of times a second. Since
 * the watch pushes every change, `updateResolution` has nothing to do once
 * the watch runs.
 */
class EtcdResolver implements experimental.Resolver {
  private etcd: Etcd3 | undefined;
  private watch: ServiceWatch | undefined;
  private readonly folder: string | undefined;
  private readonly endpoints: string | undefined;
  private readonly problem: string | undefined;
  /** Orders list deliveries: a slow host-name lookup must not overwrite a newer list. */
  private sequence = 0;

  constructor(
    target: experimental.GrpcUri,
    private readonly listener: experimental.ResolverListener,
    private readonly options: ChannelOptions,
  ) {
    this.endpoints = etcdEndpoints(options);
    this.problem = etcdTargetProblem(target, options);
    if (this.problem === undefined) this.folder = serviceFolder(parseServicePath(target.path));
  }

  /** The service name: an authority with "/" in it breaks every call. */
  static getDefaultAuthority(target: experimental.GrpcUri): string {
    const parts = target.path.split('/').filter((part) => part !== '');
    return parts[parts.length - 1] ?? 'rankd';
  }

  updateResolution(): void {
    if (this.watch !== undefined) return;
    if (this.problem !== undefined) {
      const details = this.problem;
      process.nextTick(() => this.fail(details));
      return;
    }
    this.etcd = connectEtcd(this.endpoints!);
    const holdMissingMs = this.options[HOLD_MISSING_OPTION] as number | undefined;
    this.watch = new ServiceWatch(this.etcd, this.folder!, (servers) => void this.deliver(servers), {
      holdMissingMs,
      onUnreachable: (error) => this.fail(`etcd unreachable at ${this.endpoints}: ${error.message}`),
    });
    this.watch.start();
  }

  destroy(): void {
    this.sequence++;
    this.watch?.close();
    this.watch = undefined;
    this.etcd?.close();
    this.etcd = undefined;
  }

  private async deliver(servers: readonly RegisteredServer[]): Promise<void> {
    const sequence = ++this.sequence;
    const resolved = await lookupEndpoints(
      servers.map((server) => server.address),
      () => {}, // a registration whose host does not resolve cannot be called; the rest still can
    );
    if (sequence !== this.sequence) return;
    const metadataByAddress = new Map(servers.map((server) => [server.address, server.metadata]));
    const metadata = new Map<string, ServerMetadata>(
      resolved.map(({ address, endpoint }) => [experimental.endpointToString(endpoint), metadataByAddress.get(address) ?? {}]),
    );
    const note = resolved.length === 0 ? `no servers registered under ${this.folder}` : '';
    this.listener(
      experimental.statusOrFromValue(resolved.map((server) => server.endpoint)),
      { [SERVER_METADATA_ATTRIBUTE]: metadata },
      null,
      note,
    );
  }

  private fail(details: string): void {
    this.listener(experimental.statusOrFromError({ code: status.UNAVAILABLE, details, metadata: new Metadata() }), {}, null, details);
  }
}

export function registerEtcdResolver(): void {
  experimental.registerResolver(ETCD_SCHEME, EtcdResolver);
}
