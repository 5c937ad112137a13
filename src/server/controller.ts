import { status } from '@grpc/grpc-js';
import { imageBytes } from '../../globaldb/table-bytes.js';
import type { TableSpec } from '../../globaldb/table.js';
import type { WorkSpec } from '../config/work-spec.js';
import { checkSources } from '../remote/check-sources.js';
import type { SourceEnvironment } from '../remote/create-source.js';
import { specChanges } from '../remote/spec-changes.js';
import type { SourceSpec } from '../remote/source-spec.js';
import type { GenerationPublisher } from '../pool/generation-publisher.js';
import { QueryPool, type QueryPoolOptions } from '../pool/query-pool.js';
import { RequestError } from '../rpc/request-error.js';
import { Dispatch } from './dispatch.js';
import type { ServerLog } from './server-log.js';
import type { GlobalData } from './global-data.js';

/** What the control calls re-read from the config folder each time. */
export interface Reloadable {
  tables: TableSpec[];
  works: WorkSpec[];
  sources: SourceSpec[];
  /** The db_config.ini they come from, for errors. */
  sourcesFile: string;
}

export interface UpdateReply {
  changed: string[];
  old_generation: number;
  new_generation: number;
  load_ms: number;
  swap_ms: number;
  total_ms: number;
}

export interface StatusReply {
  generation: number;
  tables: {
    name: string;
    kind: string;
    size: number;
    bytes: number;
    /** `bytes` plus replaced versions still held and spare buffers kept for the next load. */
    held_bytes: number;
    generation: number;
    load_ms: number;
    file: string;
    loaded_at: string;
  }[];
  works: string[];
  algorithms: string[];
  threads: number;
  queue_length: number;
  utilization: number;
  pool_generation: number;
  version: string;
  uptime_s: number;
}

export interface ControllerOptions {
  readConfig: () => Reloadable;
  poolOptions: (works: WorkSpec[]) => QueryPoolOptions;
  version: string;
  log: ServerLog;
  /** What pool threads build remote sources with; UpdateDb checks new specs against it. */
  sourceEnvironment?: SourceEnvironment;
  /** Called after every update with its outcome and duration (metrics). */
  observe?: (action: string, ok: boolean, seconds: number) => void;
}

/** The control actions. Updates run one at a time; a second one is refused with ABORTED. */
export class Controller {
  private busy: { what: string; since: number } | undefined;
  private poolGeneration = 1;
  private loaded: { works: string[]; algorithms: string[] } = { works: [], algorithms: [] };
  private readonly startedAt = Date.now();

  private dispatch!: Dispatch;

  constructor(
    private readonly global: GlobalData,
    private readonly publisher: GenerationPublisher,
    private readonly options: ControllerOptions,
  ) {}

  /** Loads the tables and starts the first pool; returns where requests go. */
  async start(): Promise<Dispatch> {
    const config = this.readConfig();
    await this.checkSources(config.sourcesFile, this.publisher.remote.specs);
    await this.global.update(config.tables);
    this.dispatch = new Dispatch(await this.startPool(config.works));
    return this.dispatch;
  }

  /** Builds a pool for `works`; refused when they fail to load. */
  async startPool(works: WorkSpec[]): Promise<QueryPool> {
    const { pool, loaded } = await QueryPool.start(this.options.poolOptions(works), this.publisher);
    this.loaded = { works: loaded.works, algorithms: loaded.algorithms };
    return pool;
  }

  updateGlobal(names: string[]): Promise<UpdateReply> {
    return this.exclusive('UpdateGlobal', async () => {
      const config = this.readConfig();
      const r = await this.global.update(config.tables, names);
      this.options.log('global tables swapped', { changed: r.changed, generation: r.newGeneration, total_ms: r.totalMs });
      return {
        changed: r.changed,
        old_generation: r.oldGeneration,
        new_generation: r.newGeneration,
        load_ms: r.loadMs,
        swap_ms: r.swapMs,
        total_ms: r.totalMs,
      };
    });
  }

  updateWork(): Promise<UpdateReply> {
    return this.exclusive('UpdateWork', async () => {
      const t0 = performance.now();
      const config = this.readConfig();
      const before = this.loaded.works;
      const next = await this.startPool(config.works);
      const t1 = performance.now();
      const old = this.dispatch.switchTo(next);
      const oldGeneration = this.poolGeneration++;
      // Calls already in the old pool finish there; then its threads end.
      old.close().catch((e: Error) => this.options.log('closing the old pool failed', { error: e.message }));
      const t2 = performance.now();
      const after = this.loaded.works;
      const changed = [
        ...after.filter((w) => !before.includes(w)).map((w) => `work ${w}: added`),
        ...before.filter((w) => !after.includes(w)).map((w) => `work ${w}: removed`),
        ...after.filter((w) => before.includes(w)).map((w) => `work ${w}: reloaded`),
      ];
      this.options.log('works reloaded', { changed, pool_generation: this.poolGeneration });
      return { changed, old_generation: oldGeneration, new_generation: this.poolGeneration, load_ms: t1 - t0, swap_ms: t2 - t1, total_ms: t2 - t0 };
    });
  }

  /**
   * Re-reads db_config.ini and publishes its sources with the current tables:
   * each thread builds clients for added and changed sources at its next task
   * and closes the replaced ones after their in-flight reads.
   */
  updateDb(): Promise<UpdateReply> {
    return this.exclusive('UpdateDb', async () => {
      const t0 = performance.now();
      const { sources, sourcesFile } = this.readConfig();
      const changes = specChanges(this.publisher.remote.specs, sources);
      await this.checkSources(
        sourcesFile,
        sources.filter((spec) => changes.added.includes(spec.name) || changes.changed.includes(spec.name)),
      );
      const oldGeneration = this.publisher.generation;
      const newGeneration = this.publisher.publish({ ...this.publisher.tables }, sources);
      const changed = [
        ...changes.added.map((n) => `source ${n}: added`),
        ...changes.changed.map((n) => `source ${n}: new clients`),
        ...changes.removed.map((n) => `source ${n}: removed`),
        ...changes.kept.map((n) => `source ${n}: unchanged, clients kept`),
      ];
      this.options.log('remote sources updated', { changed, generation: newGeneration });
      const ms = performance.now() - t0;
      return { changed, old_generation: oldGeneration, new_generation: newGeneration, load_ms: 0, swap_ms: ms, total_ms: ms };
    });
  }

  status(): StatusReply {
    const pool = this.dispatch.pool;
    return {
      generation: this.global.generation,
      tables: this.global.tables().map((t) => ({
        name: t.spec.name,
        kind: t.image.kind,
        size: t.image.size,
        bytes: imageBytes(t.image),
        held_bytes: this.global.heldBytes(t.spec.name),
        generation: t.generation,
        load_ms: t.loadMs,
        file: t.spec.file,
        loaded_at: t.loadedAt.toISOString(),
      })),
      works: this.loaded.works,
      algorithms: this.loaded.algorithms,
      threads: pool.threads,
      queue_length: pool.queueLength,
      utilization: pool.utilization,
      pool_generation: this.poolGeneration,
      version: this.options.version,
      uptime_s: (Date.now() - this.startedAt) / 1000,
    };
  }

  /** Stops the pool once its running calls are done. */
  async stop(): Promise<void> {
    await this.dispatch?.pool.close();
    this.publisher.close();
  }

  /** Threads would log a spec they cannot build and keep their old clients: refuse it here instead. */
  private checkSources(file: string, specs: SourceSpec[]): Promise<void> {
    return checkSources(file, specs, this.options.sourceEnvironment ?? {}).catch((e: Error) => {
      throw new RequestError(status.FAILED_PRECONDITION, e.message);
    });
  }

  private readConfig(): Reloadable {
    try {
      return this.options.readConfig();
    } catch (e) {
      throw new RequestError(status.FAILED_PRECONDITION, (e as Error).message);
    }
  }

  private async exclusive<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (this.busy !== undefined) {
      throw new RequestError(
        status.ABORTED,
        `${this.busy.what} is already running (for ${Date.now() - this.busy.since} ms); updates run one at a time, try again when it is done`,
      );
    }
    this.busy = { what, since: Date.now() };
    const start = performance.now();
    try {
      const result = await run();
      this.options.observe?.(what, true, (performance.now() - start) / 1000);
      return result;
    } catch (e) {
      this.options.observe?.(what, false, (performance.now() - start) / 1000);
      this.options.log(`${what} refused`, { reason: (e as Error).message }, 'warn');
      throw e;
    } finally {
      this.busy = undefined;
    }
  }
}
