import { type ChannelOptions, connectivityState as ConnectivityState, experimental } from '@grpc/grpc-js';
import type { ServerMetadata } from '../../discovery/registration-value.js';
import { innermostError } from '../error-text.js';
import { serverMetadataOf } from '../server-metadata-attribute.js';

type ChannelControlHelper = experimental.ChannelControlHelper;
type Endpoint = experimental.Endpoint;
type LoadBalancer = experimental.LoadBalancer;
type Picker = experimental.Picker;
type TypedLoadBalancingConfig = experimental.TypedLoadBalancingConfig;

/** One server as a balancer sees it: a pick_first leaf holding its connection. */
export interface EndpointChild {
  /** `experimental.endpointToString(endpoint)`: stable across address-list updates. */
  readonly key: string;
  readonly endpoint: Endpoint;
  /** From the resolver (etcd registration); empty for static and DNS targets. */
  metadata: ServerMetadata;
  readonly leaf: experimental.LeafLoadBalancer;
}

/**
 * The part every rankd balancer shares: one connection per endpoint, kept
 * across address-list updates (an unchanged server keeps its connection and
 * its statistics), re-connected when it drops, and the channel state
 * aggregated from the children. Subclasses only say how to pick among the
 * READY children.
 *
 * An empty list puts the channel in TRANSIENT_FAILURE, so calls fail at once
 * with UNAVAILABLE instead of waiting for their deadline (unless waitForReady).
 */
export abstract class EndpointBalancer<Config extends TypedLoadBalancingConfig> implements LoadBalancer {
  protected children = new Map<string, EndpointChild>();
  protected config: Config | undefined;
  private readonly childHelper: ChannelControlHelper;
  private updatesPaused = false;
  private lastError = '';
  private resolutionNote = '';
  private destroyed = false;

  constructor(private readonly helper: ChannelControlHelper) {
    this.childHelper = experimental.createChildChannelControlHelper(helper, {
      updateState: (_state, _picker, errorMessage) => {
        if (errorMessage) this.lastError = innermostError(errorMessage);
        this.refresh();
      },
    });
  }

  abstract getTypeName(): string;

  /** Whether `config` is this balancer's (grpc-js may hand over another policy's). */
  protected abstract acceptsConfig(config: TypedLoadBalancingConfig): config is Config;

  /** A picker over the READY children; `all` in list order, for policies that need the whole membership. */
  protected abstract makePicker(ready: EndpointChild[], all: EndpointChild[]): Picker;

  /** Called after every address update (servers or their metadata may have changed), before the picker is rebuilt. */
  protected addressListChanged(_added: EndpointChild[], _removed: EndpointChild[]): void {}

  updateAddressList(
    endpointList: experimental.StatusOr<Endpoint[]>,
    config: TypedLoadBalancingConfig,
    options: ChannelOptions,
    resolutionNote: string,
  ): boolean {
    if (!this.acceptsConfig(config)) return false;
    this.config = config;
    this.resolutionNote = resolutionNote;
    if (!endpointList.ok) {
      // A failed resolution keeps the servers we have; with none, calls fail fast with the reason.
      if (this.children.size === 0) this.report(ConnectivityState.TRANSIENT_FAILURE, new experimental.UnavailablePicker(endpointList.error), endpointList.error.details);
      return true;
    }
    const metadata = serverMetadataOf(options);
    const next = new Map<string, EndpointChild>();
    const added: EndpointChild[] = [];
    this.updatesPaused = true;
    for (const endpoint of endpointList.value) {
      const key = experimental.endpointToString(endpoint);
      if (next.has(key)) continue;
      const existing = this.children.get(key);
      const child = existing ?? {
        key,
        endpoint,
        metadata: {},
        leaf: new experimental.LeafLoadBalancer(endpoint, this.childHelper, options, resolutionNote),
      };
      child.metadata = metadata.get(key) ?? {};
      next.set(key, child);
      if (existing === undefined) added.push(child);
    }
    const removed = [...this.children.values()].filter((child) => !next.has(child.key));
    this.children = next;
    for (const child of removed) child.leaf.destroy();
    for (const child of added) child.leaf.startConnecting();
    this.updatesPaused = false;
    this.addressListChanged(added, removed);
    this.refresh();
    return true;
  }

  exitIdle(): void {
    for (const child of this.children.values()) {
      if (child.leaf.getConnectivityState() === ConnectivityState.IDLE) child.leaf.exitIdle();
    }
  }

  resetBackoff(): void {
    // The leaves' subchannels own their backoff.
  }

  destroy(): void {
    this.destroyed = true;
    for (const child of this.children.values()) child.leaf.destroy();
    this.children.clear();
  }

  /** Recomputes the channel state and picker from the children's states. */
  protected refresh(): void {
    if (this.updatesPaused || this.destroyed) return;
    const all = [...this.children.values()];
    const inState = (state: ConnectivityState) => all.filter((child) => child.leaf.getConnectivityState() === state);
    const ready = inState(ConnectivityState.READY);
    if (all.length === 0) {
      const details = `no servers to call${this.resolutionNote ? ` (${this.resolutionNote})` : ''}`;
      this.report(ConnectivityState.TRANSIENT_FAILURE, new experimental.UnavailablePicker({ details }), details);
    } else if (ready.length > 0) {
      this.report(ConnectivityState.READY, this.makePicker(ready, all), null);
    } else if (inState(ConnectivityState.CONNECTING).length > 0 || inState(ConnectivityState.IDLE).length > 0) {
      this.report(ConnectivityState.CONNECTING, new experimental.QueuePicker(this), null);
    } else {
      const details = `no server reachable (last error: ${this.lastError || 'unknown'})`;
      this.report(ConnectivityState.TRANSIENT_FAILURE, new experimental.UnavailablePicker({ details }), details);
    }
    // Keep every server connected: one that dropped (GOAWAY, restart) reconnects at once.
    this.exitIdle();
  }

  private report(state: ConnectivityState, picker: Picker, errorMessage: string | null): void {
    this.helper.updateState(state, picker, errorMessage);
  }
}
