/**
 * A pool thread's remote sources: long-lived clients built from db_config.ini,
 * handed to each request as `ctx.remote` (forRequest), and rebuilt source by
 * source when UpdateDb brings new specs (update). Replaced clients close once
 * their in-flight reads are done; unchanged sources keep theirs.
 */
import { createSource, type SourceEnvironment } from './create-source.js';
import { remoteAccess, type ReadHooks, type ReadObservation, type RemoteAccess, type SourceLookup } from './remote-access.js';
import type { RemoteError } from './remote-error.js';
import type { RemoteSource } from './remote-source.js';
import { sameSpec, specChanges, type SpecChanges } from './spec-changes.js';
import type { SourceSpec } from './source-spec.js';

export interface RemoteSourcesOptions extends SourceEnvironment {
  /** Told of every failed read of a source with required = false (the read gives misses). Default: ignored. */
  onOptionalFailure?: (error: RemoteError) => void;
  /** Told of every read through ctx.remote (source, keys, duration, error), e.g. for metrics. */
  onRead?: (read: ReadObservation) => void;
}

export interface SourceUpdate extends SpecChanges {
  /** Resolves once the replaced and removed sources have finished their reads and closed. */
  closed: Promise<void>;
}

export class RemoteSources implements SourceLookup {
  private sources = new Map<string, RemoteSource>();
  private readonly hooks: ReadHooks;
  private readonly environment: SourceEnvironment;
  private readonly closing = new Set<Promise<void>>();

  constructor(specs: readonly SourceSpec[], options: RemoteSourcesOptions = {}) {
    this.hooks = { onOptionalFailure: options.onOptionalFailure ?? (() => {}), onRead: options.onRead };
    this.environment = { etcd: options.etcd, connect: options.connect };
    this.sources = this.build(specs, new Map());
  }

  /** The specs in use, in db_config.ini order. */
  get specs(): SourceSpec[] {
    return [...this.sources.values()].map((source) => source.spec);
  }

  names(): string[] {
    return [...this.sources.keys()];
  }

  /** The source of a name now (its identity changes only when its spec does). */
  current(name: string): RemoteSource {
    const source = this.sources.get(name);
    if (source === undefined) {
      const known = this.names();
      throw new Error(`no remote source named "${name}" (db_config.ini has ${known.length === 0 ? 'none' : known.join(', ')})`);
    }
    return source;
  }

  /**
   * Switches to `specs`: new clients for added and changed sources, the same
   * ones for unchanged sources. All or nothing: if a new source cannot be
   * built, nothing changes and the error is thrown.
   */
  update(specs: readonly SourceSpec[]): SourceUpdate {
    const changes = specChanges(this.specs, specs);
    const next = this.build(specs, this.sources);
    const retired = [...changes.changed, ...changes.removed].map((name) => this.sources.get(name)!);
    this.sources = next;
    return { ...changes, closed: this.retire(retired) };
  }

  /** `ctx.remote` for one request. */
  forRequest(deadline: number): RemoteAccess {
    return remoteAccess(this, deadline, this.hooks);
  }

  /** Closes every source after its in-flight reads, and waits for earlier replaced ones. */
  async close(): Promise<void> {
    const all = [...this.sources.values()];
    this.sources = new Map();
    await Promise.all([this.retire(all), ...this.closing]);
  }

  /** A map of sources for `specs`, reusing those of `current` whose spec is unchanged. */
  private build(specs: readonly SourceSpec[], current: ReadonlyMap<string, RemoteSource>): Map<string, RemoteSource> {
    const next = new Map<string, RemoteSource>();
    const created: RemoteSource[] = [];
    try {
      for (const spec of specs) {
        if (next.has(spec.name)) throw new Error(`remote source "${spec.name}" is declared twice`);
        const old = current.get(spec.name);
        if (old !== undefined && sameSpec(old.spec, spec)) {
          next.set(spec.name, old);
        } else {
          const source = createSource(spec, this.environment);
          created.push(source);
          next.set(spec.name, source);
        }
      }
    } catch (err) {
      void this.retire(created);
      throw err;
    }
    return next;
  }

  private retire(sources: RemoteSource[]): Promise<void> {
    // A client that fails to close is being dropped anyway.
    const closed = Promise.allSettled(sources.map((source) => source.close())).then(() => {});
    this.closing.add(closed);
    void closed.finally(() => this.closing.delete(closed));
    return closed;
  }
}
