import { experimental } from '@grpc/grpc-js';
import { serverWeight } from '../../discovery/registration-value.js';
import { HASH_KEY_HEADER } from '../hash-key.js';
import { EndpointBalancer, type EndpointChild } from './endpoint-balancer.js';
import { HashRing } from './hash-ring.js';

/** Consistent hashing on the `x-rankd-hash-key` call metadata: one user's calls stay on one server. */
export const RING_HASH = 'rankd_ring_hash';

export interface RingHashOptions {
  /** Ring points per unit of weight (metadata `weight`, default 1). */
  virtualNodes?: number;
}

const DEFAULT_VIRTUAL_NODES = 160;

class RingHashConfig implements experimental.TypedLoadBalancingConfig {
  constructor(readonly virtualNodes: number) {}
  getLoadBalancerName(): string {
    return RING_HASH;
  }
  toJsonObject(): object {
    return { [RING_HASH]: { virtualNodes: this.virtualNodes } };
  }
  static createFromJson(json: RingHashOptions | undefined): RingHashConfig {
    const virtualNodes = json?.virtualNodes ?? DEFAULT_VIRTUAL_NODES;
    if (!Number.isInteger(virtualNodes) || virtualNodes < 1 || virtualNodes > 10_000) {
      throw new Error(`virtualNodes must be an integer from 1 to 10000, got ${String(virtualNodes)}`);
    }
    return new RingHashConfig(virtualNodes);
  }
}

/** The ring identity of a server: its address as registered ("10.0.0.5:21345"). */
function memberId(child: EndpointChild): string {
  return child.endpoint.addresses.map(experimental.subchannelAddressToString).join(',');
}

class RingHashPicker implements experimental.Picker {
  constructor(
    private readonly ring: HashRing,
    /** Ring member index → child, READY children only. */
    private readonly readyByMember: (EndpointChild | undefined)[],
    private readonly ready: EndpointChild[],
  ) {}

  pick(args: experimental.PickArgs): experimental.PickResult {
    const [value] = args.metadata.get(HASH_KEY_HEADER);
    const key = value === undefined ? undefined : value.toString();
    // A call without a key may go anywhere.
    const member = key === undefined ? undefined : this.ring.lookup(key, (m) => this.readyByMember[m] !== undefined);
    const child = member === undefined ? this.ready[Math.floor(Math.random() * this.ready.length)]! : this.readyByMember[member]!;
    return child.leaf.getPicker().pick(args);
  }
}

/**
 * A key goes to the first server clockwise from its hash whose connection is
 * READY; a server that is down hands its keys to the same neighbours that
 * would take them if it left the list, so the rest of the keys never move.
 */
export class RingHashBalancer extends EndpointBalancer<RingHashConfig> {
  private ring: HashRing | undefined;
  private ringVirtualNodes = 0;

  getTypeName(): string {
    return RING_HASH;
  }

  protected acceptsConfig(config: experimental.TypedLoadBalancingConfig): config is RingHashConfig {
    return config instanceof RingHashConfig;
  }

  protected override addressListChanged(): void {
    this.ring = undefined;
  }

  protected makePicker(ready: EndpointChild[], all: EndpointChild[]): experimental.Picker {
    const virtualNodes = this.config?.virtualNodes ?? DEFAULT_VIRTUAL_NODES;
    if (this.ring === undefined || this.ringVirtualNodes !== virtualNodes) {
      this.ring = new HashRing(all.map((child) => ({ id: memberId(child), weight: serverWeight(child.metadata) })), virtualNodes);
      this.ringVirtualNodes = virtualNodes;
    }
    const readyById = new Map(ready.map((child) => [memberId(child), child]));
    return new RingHashPicker(this.ring, this.ring.members.map((member) => readyById.get(member.id)), ready);
  }
}

export function registerRingHash(): void {
  experimental.registerLoadBalancerType(RING_HASH, RingHashBalancer, RingHashConfig);
}
