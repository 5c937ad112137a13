import { type ChannelOptions, experimental, Metadata, status } from '@grpc/grpc-js';
import { lookupEndpoints } from './endpoint-lookup.js';

/** Internal scheme for a fixed `host:port,host:port` list (createClient rewrites such targets to it). */
export const STATIC_SCHEME = 'rankd-static';

/**
 * A fixed list of servers; host names are looked up once per resolution.
 * Like grpc-js's own resolvers it answers once per start: repeating an
 * unchanged list on each re-resolution request makes grpc-js loop.
 */
class StaticResolver implements experimental.Resolver {
  private started = false;
  private readonly addresses: string[];

  constructor(
    target: experimental.GrpcUri,
    private readonly listener: experimental.ResolverListener,
    _options: ChannelOptions,
  ) {
    this.addresses = target.path.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  }

  static getDefaultAuthority(target: experimental.GrpcUri): string {
    return target.path.split(',')[0]!.trim();
  }

  updateResolution(): void {
    if (this.started) return;
    this.started = true;
    const problems: string[] = [];
    void lookupEndpoints(this.addresses, (address, error) => problems.push(`${address}: ${error.message}`)).then((resolved) => {
      if (!this.started) return;
      if (resolved.length === 0) {
        const details = `none of ${this.addresses.join(',')} resolves${problems.length > 0 ? ` (${problems.join('; ')})` : ''}`;
        this.listener(experimental.statusOrFromError({ code: status.UNAVAILABLE, details, metadata: new Metadata() }), {}, null, details);
        return;
      }
      this.listener(experimental.statusOrFromValue(resolved.map((server) => server.endpoint)), {}, null, problems.join('; '));
    });
  }

  destroy(): void {
    this.started = false;
  }
}

export function registerStaticResolver(): void {
  experimental.registerResolver(STATIC_SCHEME, StaticResolver);
}
