import { experimental, status } from '@grpc/grpc-js';
import { EndpointBalancer, type EndpointChild } from './endpoint-balancer.js';
import { EwmaLoad } from './ewma-load.js';

/** Power of two choices: of two random servers, the one with less (in-flight × EWMA latency). */
export const P2C = 'rankd_p2c';

export interface P2cOptions {
  /** How fast the latency average forgets: a sample's weight after Δt is exp(-Δt / decayMs). */
  decayMs?: number;
  /** A server passed over this long gets the next call it competes for, to refresh its latency. */
  forcePickMs?: number;
}

/** Failures that say nothing about speed count as this slow, so a server failing fast does not attract calls. */
const FAILURE_PENALTY_MS = 250;
const PENALIZED = new Set<number>([status.UNAVAILABLE, status.INTERNAL, status.UNKNOWN, status.RESOURCE_EXHAUSTED]);

class P2cConfig implements experimental.TypedLoadBalancingConfig {
  constructor(
    readonly decayMs: number,
    readonly forcePickMs: number,
  ) {}
  getLoadBalancerName(): string {
    return P2C;
  }
  toJsonObject(): object {
    return { [P2C]: { decayMs: this.decayMs, forcePickMs: this.forcePickMs } };
  }
  static createFromJson(json: P2cOptions | undefined): P2cConfig {
    const decayMs = json?.decayMs ?? 10_000;
    const forcePickMs = json?.forcePickMs ?? 1000;
    if (!(decayMs > 0)) throw new Error(`decayMs must be positive, got ${String(decayMs)}`);
    if (!(forcePickMs > 0)) throw new Error(`forcePickMs must be positive, got ${String(forcePickMs)}`);
    return new P2cConfig(decayMs, forcePickMs);
  }
}

class P2cPicker implements experimental.Picker {
  constructor(
    private readonly ready: EndpointChild[],
    private readonly loads: EwmaLoad[],
    private readonly forcePickMs: number,
  ) {}

  pick(args: experimental.PickArgs): experimental.PickResult {
    const index = this.choose();
    const load = this.loads[index]!;
    load.pickedAt = performance.now();
    const result = this.ready[index]!.leaf.getPicker().pick(args);
    if (result.pickResultType !== experimental.PickResultType.COMPLETE) return result;
    let startedAt = 0;
    const { onCallStarted, onCallEnded } = result;
    return {
      ...result,
      onCallStarted: () => {
        startedAt = performance.now();
        load.callStarted();
        onCallStarted?.();
      },
      onCallEnded: (code, details, metadata) => {
        const elapsed = performance.now() - startedAt;
        load.callEnded(PENALIZED.has(code) ? Math.max(elapsed, FAILURE_PENALTY_MS) : elapsed);
        onCallEnded?.(code, details, metadata);
      },
    };
  }

  private choose(): number {
    const n = this.ready.length;
    if (n === 1) return 0;
    const a = Math.floor(Math.random() * n);
    const b = (a + 1 + Math.floor(Math.random() * (n - 1))) % n;
    const unknown = this.meanLatency();
    const [better, worse] = this.loads[a]!.load(unknown) <= this.loads[b]!.load(unknown) ? [a, b] : [b, a];
    // As go-zero does: a server nobody picked for a while gets one call, so its average cannot go stale.
    return performance.now() - this.loads[worse]!.pickedAt > this.forcePickMs ? worse : better;
  }

  /** What a server without samples is assumed to take: the mean of the others, so it is neither shunned nor flooded. */
  private meanLatency(): number {
    let sum = 0;
    let count = 0;
    for (const load of this.loads) {
      const latency = load.latency;
      if (latency !== undefined) {
        sum += latency;
        count++;
      }
    }
    return count === 0 ? 0 : sum / count;
  }
}

export class P2cBalancer extends EndpointBalancer<P2cConfig> {
  /** Per server, kept across pickers and address updates while the server stays listed. */
  private readonly loads = new Map<string, EwmaLoad>();

  getTypeName(): string {
    return P2C;
  }

  protected acceptsConfig(config: experimental.TypedLoadBalancingConfig): config is P2cConfig {
    return config instanceof P2cConfig;
  }

  protected override addressListChanged(_added: EndpointChild[], removed: EndpointChild[]): void {
    for (const child of removed) this.loads.delete(child.key);
  }

  protected makePicker(ready: EndpointChild[]): experimental.Picker {
    const { decayMs, forcePickMs } = this.config!;
    const loads = ready.map((child) => {
      let load = this.loads.get(child.key);
      if (load === undefined) {
        load = new EwmaLoad(decayMs);
        // A server starts as if just picked: no forced call before its turn comes.
        load.pickedAt = performance.now();
        this.loads.set(child.key, load);
      }
      return load;
    });
    return new P2cPicker(ready, loads, forcePickMs);
  }
}

export function registerP2c(): void {
  experimental.registerLoadBalancerType(P2C, P2cBalancer, P2cConfig);
}
