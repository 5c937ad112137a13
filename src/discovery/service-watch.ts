import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import { Backoff } from './backoff.js';
import type { DiscoveryLog } from './discovery-log.js';
import type { RegisteredServer } from './registration-value.js';
import { readServiceSnapshot, serverEntry, type ServiceSnapshot } from './service-snapshot.js';

export type ServerListListener = (servers: readonly RegisteredServer[]) => void;

export interface ServiceWatchOptions {
  log?: DiscoveryLog;
  /**
   * After a reconnection, servers missing from the fresh snapshot stay listed
   * this long unless etcd reports their deletion. An etcd restarted with an
   * empty data dir knows no server until each has registered again; without
   * this hold, clients would have nowhere to send calls meanwhile.
   */
  holdMissingMs?: number;
  /** Longest pause between snapshot attempts while etcd is unreachable. */
  maxRetryMs?: number;
  /** Hears each failed snapshot attempt before the first list: there is no last list to fall back on. */
  onUnreachable?: (error: Error) => void;
}

/**
 * The live server list of one service folder: a snapshot, then a watch from
 * the snapshot's revision + 1.
 *
 * Whenever the watch breaks (etcd restarted, network cut, compaction) it is
 * dropped and the whole cycle starts again from a new snapshot rather than
 * letting etcd3 resume the old watch: etcd3 resumes from its last revision,
 * which misses every new key when etcd came back with an empty data dir
 * (revisions start over) and fails for good when that revision was compacted.
 * While etcd is unreachable the last list stays as it is.
 *
 * The listener hears the list once after the first snapshot and then only
 * when it changes (servers and their metadata, sorted by address).
 */
export class ServiceWatch {
  private byKey = new Map<string, RegisteredServer>();
  private readonly held = new Map<string, RegisteredServer>();
  private holdTimer: NodeJS.Timeout | undefined;
  private watcher: Watcher | undefined;
  private lastList: RegisteredServer[] | undefined;
  private lastText: string | undefined;
  private cycle = 0;
  private closed = false;
  private readonly backoff: Backoff;

  constructor(
    private readonly etcd: Etcd3,
    private readonly folder: string,
    private readonly listener: ServerListListener,
    private readonly options: ServiceWatchOptions = {},
  ) {
    this.backoff = new Backoff({ initialMs: 50, maxMs: options.maxRetryMs ?? 1000 });
  }

  /** The last list heard, or undefined before the first snapshot. */
  get servers(): readonly RegisteredServer[] | undefined {
    return this.lastList;
  }

  start(): void {
    void this.resync(undefined);
  }

  close(): void {
    this.closed = true;
    this.cycle++;
    clearTimeout(this.holdTimer);
    this.dropWatcher();
  }

  /** Drops the watch, takes snapshots until one succeeds, applies it and watches from there. */
  private async resync(reason: string | undefined): Promise<void> {
    const cycle = ++this.cycle;
    const afterReconnect = this.lastList !== undefined;
    this.dropWatcher();
    if (reason !== undefined) this.log('etcd watch interrupted; re-reading the server list', { reason });
    let snapshot: ServiceSnapshot | undefined;
    let failures = 0;
    while (snapshot === undefined) {
      if (this.closed || cycle !== this.cycle) return;
      try {
        snapshot = await readServiceSnapshot(this.etcd, this.folder);
      } catch (e) {
        if (failures++ === 0) this.log('etcd unreachable; keeping the last server list', { error: (e as Error).message });
        if (this.lastList === undefined) this.options.onUnreachable?.(e as Error);
        await new Promise((resolve) => setTimeout(resolve, this.backoff.next()));
      }
    }
    if (this.closed || cycle !== this.cycle) return;
    this.backoff.reset();
    if (failures > 0) this.log('etcd reachable again', { attempts: failures + 1 });
    this.applySnapshot(snapshot, afterReconnect);
    this.watchFrom(BigInt(snapshot.revision) + 1n, cycle);
  }

  private applySnapshot(snapshot: ServiceSnapshot, afterReconnect: boolean): void {
    const holdMs = this.options.holdMissingMs ?? 10_000;
    if (afterReconnect && holdMs > 0) {
      for (const [key, server] of this.byKey) if (!snapshot.servers.has(key)) this.held.set(key, server);
    }
    for (const key of snapshot.servers.keys()) this.held.delete(key);
    this.byKey = snapshot.servers;
    clearTimeout(this.holdTimer);
    if (this.held.size > 0) {
      this.log('servers missing after reconnecting to etcd stay listed until they register again or time out', {
        servers: [...this.held.values()].map((server) => server.address),
        holdMs,
      });
      this.holdTimer = setTimeout(() => {
        this.held.clear();
        this.publish();
      }, holdMs);
      this.holdTimer.unref();
    }
    this.publish();
  }

  private watchFrom(revision: bigint, cycle: number): void {
    const watcher = this.etcd.watch().prefix(this.folder).startRevision(revision.toString()).watcher();
    this.watcher = watcher;
    const current = () => this.watcher === watcher && cycle === this.cycle && !this.closed;
    watcher.on('put', (kv: IKeyValue) => {
      if (!current()) return;
      const entry = serverEntry(kv, this.folder);
      const key = kv.key.toString('utf8');
      this.held.delete(key);
      if (entry === undefined) this.byKey.delete(key);
      else this.byKey.set(entry[0], entry[1]);
      this.publish();
    });
    watcher.on('delete', (kv: IKeyValue) => {
      if (!current()) return;
      const key = kv.key.toString('utf8');
      this.held.delete(key);
      this.byKey.delete(key);
      this.publish();
    });
    watcher.on('disconnected', (err: Error) => {
      if (current()) void this.resync(`disconnected: ${err.message}`);
    });
    watcher.on('error', (err: Error) => {
      if (current()) void this.resync(`watch failed: ${err.message}`);
    });
  }

  private dropWatcher(): void {
    const watcher = this.watcher;
    this.watcher = undefined;
    // Not awaited: a cancel waits for etcd's answer, which may never come while it is down.
    watcher?.cancel().catch(() => {});
  }

  private publish(): void {
    const byAddress = new Map<string, RegisteredServer>();
    for (const server of [...this.byKey.values(), ...this.held.values()]) {
      if (!byAddress.has(server.address)) byAddress.set(server.address, server);
    }
    const list = [...byAddress.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    const text = JSON.stringify(list);
    if (text === this.lastText) return;
    this.lastText = text;
    this.lastList = list;
    this.listener(list);
  }

  private log(msg: string, fields: Record<string, unknown>): void {
    this.options.log?.(msg, { folder: this.folder, ...fields });
  }
}
