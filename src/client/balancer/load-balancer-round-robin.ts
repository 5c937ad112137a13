import { experimental } from '@grpc/grpc-js';
import { EndpointBalancer, type EndpointChild } from './endpoint-balancer.js';

/** rankd's round_robin: each call goes to the next READY server in turn. */
export const ROUND_ROBIN = 'rankd_round_robin';

class RoundRobinConfig implements experimental.TypedLoadBalancingConfig {
  getLoadBalancerName(): string {
    return ROUND_ROBIN;
  }
  toJsonObject(): object {
    return { [ROUND_ROBIN]: {} };
  }
  static createFromJson(): RoundRobinConfig {
    return new RoundRobinConfig();
  }
}

class RoundRobinPicker implements experimental.Picker {
  constructor(
    private readonly ready: EndpointChild[],
    private next: number,
  ) {}

  pick(args: experimental.PickArgs): experimental.PickResult {
    const child = this.ready[this.next]!;
    this.next = (this.next + 1) % this.ready.length;
    return child.leaf.getPicker().pick(args);
  }

  /** The server the next call would go to, so a rebuilt picker continues the turn. */
  peek(): string {
    return this.ready[this.next]!.key;
  }
}

/**
 * Unlike grpc-js's round_robin, which rebuilds every connection's leaf on each
 * address update, servers that stay in the list keep their leaf: an etcd
 * event for one server does not disturb calls to the others.
 */
export class RoundRobinBalancer extends EndpointBalancer<RoundRobinConfig> {
  private picker: RoundRobinPicker | undefined;

  getTypeName(): string {
    return ROUND_ROBIN;
  }

  protected acceptsConfig(config: experimental.TypedLoadBalancingConfig): config is RoundRobinConfig {
    return config instanceof RoundRobinConfig;
  }

  protected makePicker(ready: EndpointChild[]): experimental.Picker {
    const continueAt = this.picker === undefined ? -1 : ready.findIndex((child) => child.key === this.picker!.peek());
    // A new picker starts at a random server so that many clients do not all hit the first one.
    this.picker = new RoundRobinPicker(ready, continueAt >= 0 ? continueAt : Math.floor(Math.random() * ready.length));
    return this.picker;
  }
}

export function registerRoundRobin(): void {
  experimental.registerLoadBalancerType(ROUND_ROBIN, RoundRobinBalancer, RoundRobinConfig);
}
