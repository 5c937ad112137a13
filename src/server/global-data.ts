import { status } from '@grpc/grpc-js';
import { loadTable } from '../../globaldb/load-table.js';
import { buffersBytes, imageBytes } from '../../globaldb/table-bytes.js';
import type { TableImage, TableSpec } from '../../globaldb/table.js';
import { IdleCollector } from '../pool/idle-collector.js';
import type { GenerationPublisher } from '../pool/generation-publisher.js';
import { RequestError } from '../rpc/request-error.js';

export interface TableState {
  spec: TableSpec;
  image: TableImage;
  /** The generation that brought this version of the table. */
  generation: number;
  loadMs: number;
  loadedAt: Date;
}

export interface UpdateResult {
  changed: string[];
  oldGeneration: number;
  newGeneration: number;
  loadMs: number;
  swapMs: number;
  totalMs: number;
}

export interface GlobalDataOptions {
  graceMs: number;
  /** Refuse a table whose entry count drops by more than this fraction. */
  maxShrink: number;
  /** Whether calls are running: collections of let-go buffers wait for a moment without (see IdleCollector). */
  busy?: () => boolean;
  /** Niceness of loader threads: [pool] nice, so that loads yield to serving as pool threads do to the main thread. */
  loaderNice?: number;
}

/**
 * The main thread's global tables: loads new versions in loader threads,
 * validates them, publishes them as one new generation, and lets the old
 * buffers go once no running task uses them and the grace period passed.
 */
export class GlobalData {
  private readonly states = new Map<string, TableState>();
  /** Images replaced but possibly still read by running tasks. */
  private readonly retiring = new Set<TableImage>();
  /** Buffers of retired images, per table: the next load of that table reuses them. */
  private readonly spares = new Map<string, SharedArrayBuffer[]>();
  /** Frees this thread's wrappers of the buffers let go of: without a collection they keep them for minutes. */
  private readonly collector: IdleCollector;

  constructor(
    private readonly publisher: GenerationPublisher,
    private readonly options: GlobalDataOptions,
  ) {
    this.collector = new IdleCollector(options.busy ?? (() => false));
  }

  get generation(): number {
    return this.publisher.generation;
  }

  tables(): TableState[] {
    return [...this.states.values()];
  }

  /**
   * Shared memory this thread holds for a table: its live image, replaced
   * images that running tasks may still read, and the spare buffers kept for
   * its next load. At most three images' worth once the grace period passed.
   */
  heldBytes(name: string): number {
    const live = this.states.get(name)?.image;
    const images = [...this.retiring, ...(live === undefined ? [] : [live])].filter((i) => i.name === name);
    return images.reduce((sum, i) => sum + imageBytes(i), buffersBytes(this.spares.get(name) ?? []));
  }

  /** Resolves once every replaced table has been let go (tests and shutdown). */
  async retired(): Promise<void> {
    while (this.retiring.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /**
   * Loads the tables named (or every table of `specs`, dropping tables no
   * longer configured) and swaps them in. Any failure changes nothing.
   */
  async update(specs: readonly TableSpec[], names: readonly string[] = []): Promise<UpdateResult> {
    const t0 = performance.now();
    const wanted = names.length === 0 ? [...specs] : names.map((n) => specFor(specs, n));
    const loaded = await Promise.all(wanted.map((spec) => this.load(spec)));
    for (const l of loaded) this.checkShrink(l.spec, l.image);
    const t1 = performance.now();

    const kept = names.length === 0 ? [] : [...this.states.values()].filter((s) => !names.includes(s.spec.name));
    const images: Record<string, TableImage> = {};
    for (const s of kept) images[s.spec.name] = s.image;
    for (const l of loaded) images[l.spec.name] = l.image;
    const oldGeneration = this.publisher.generation;
    const newGeneration = this.publisher.publish(images);

    const replaced = [...this.states.values()].filter((s) => images[s.spec.name] !== s.image);
    const changed = [
      ...loaded.map((l) => `${l.spec.name}: ${l.image.size} entries from ${l.spec.file}${this.states.has(l.spec.name) ? '' : ' (new)'}`),
      ...replaced.filter((s) => !(s.spec.name in images)).map((s) => `${s.spec.name}: removed`),
    ];
    const loadedAt = new Date();
    for (const s of replaced) this.states.delete(s.spec.name);
    for (const l of loaded) {
      this.states.set(l.spec.name, { spec: l.spec, image: l.image, generation: newGeneration, loadMs: l.ms, loadedAt });
    }
    this.retire(replaced.map((s) => s.image), newGeneration);
    const t2 = performance.now();
    return { changed, oldGeneration, newGeneration, loadMs: t1 - t0, swapMs: t2 - t1, totalMs: t2 - t0 };
  }

  private async load(spec: TableSpec): Promise<{ spec: TableSpec; image: TableImage; ms: number }> {
    const t = performance.now();
    const spares = this.spares.get(spec.name) ?? [];
    this.spares.delete(spec.name);
    try {
      const image = await loadTable(spec, () => {}, spares, this.options.loaderNice);
      return { spec, image, ms: performance.now() - t };
    } catch (e) {
      this.spares.set(spec.name, spares);
      throw new RequestError(status.FAILED_PRECONDITION, `table ${spec.name}: ${(e as Error).message}`);
    }
  }

  private checkShrink(spec: TableSpec, image: TableImage): void {
    const old = this.states.get(spec.name);
    if (old === undefined || old.image.size === 0) return;
    const floor = old.image.size * (1 - this.options.maxShrink);
    if (image.size < floor) {
      throw new RequestError(
        status.FAILED_PRECONDITION,
        `table ${spec.name}: ${image.size} entries, down from ${old.image.size} — shrinks by more than max_shrink ${this.options.maxShrink * 100}%; refused`,
      );
    }
  }

  /**
   * Once no running task uses a generation before `generation`, plus the
   * grace period, the replaced images' buffers become spares for their table
   * (at most two images' worth: more would only hold memory).
   */
  private retire(images: TableImage[], generation: number): void {
    if (images.length === 0) return;
    for (const i of images) this.retiring.add(i);
    const release = () => {
      const t = setTimeout(() => {
        for (const image of images) {
          this.retiring.delete(image);
          if (!this.states.has(image.name)) continue;
          const spares = [...(this.spares.get(image.name) ?? []), ...Object.values(image.buffers)];
          this.spares.set(image.name, spares.slice(-2 * Object.keys(image.buffers).length));
        }
        this.collector.due();
      }, this.options.graceMs);
      t.unref();
    };
    const poll = () => {
      if (this.publisher.unusedBefore(generation)) release();
      else setTimeout(poll, 20).unref();
    };
    poll();
  }
}

function specFor(specs: readonly TableSpec[], name: string): TableSpec {
  const spec = specs.find((s) => s.name === name);
  if (spec === undefined) {
    throw new RequestError(status.NOT_FOUND, `no table "${name}" in the global db config (tables: ${specs.map((s) => s.name).join(', ')})`);
  }
  return spec;
}
