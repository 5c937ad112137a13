import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { imageBytes } from '../../globaldb/table-bytes.js';
import type { QueryPool } from '../pool/query-pool.js';
import type { GlobalData } from './global-data.js';

/** What the gauges read when Prometheus scrapes. */
export interface MetricsSources {
  pool: () => QueryPool;
  global: GlobalData;
  /** 1 registered, 0 not (yet, or lost), undefined without discovery. */
  registered?: () => number | undefined;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** rankd's Prometheus metrics, in a registry of its own (several servers may share a process). */
export class RankdMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'api' | 'method'>;
  private readonly errors: Counter<'api' | 'code'>;
  private readonly latency: Histogram<'api'>;
  private readonly updates: Histogram<'action' | 'outcome'>;
  private readonly remoteLatency: Histogram<'source'>;
  private readonly remoteErrors: Counter<'source'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'rankd_process_' });
    this.requests = new Counter({ name: 'rankd_requests_total', help: 'Requests answered, by api and method', labelNames: ['api', 'method'], registers });
    this.errors = new Counter({ name: 'rankd_request_errors_total', help: 'Requests that failed, by api and gRPC status', labelNames: ['api', 'code'], registers });
    this.latency = new Histogram({
      name: 'rankd_request_duration_seconds',
      help: 'Time from receiving a request to its reply, by api',
      labelNames: ['api'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.updates = new Histogram({
      name: 'rankd_update_duration_seconds',
      help: 'Control updates (global swap, work reload, db update), by outcome',
      labelNames: ['action', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.remoteLatency = new Histogram({
      name: 'rankd_remote_read_duration_seconds',
      help: 'Remote source reads, by source',
      labelNames: ['source'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.remoteErrors = new Counter({ name: 'rankd_remote_errors_total', help: 'Remote source reads that failed', labelNames: ['source'], registers });

    const gauge = (name: string, help: string, collect: (g: Gauge<string>) => void, labelNames: string[] = []) =>
      new Gauge({ name, help, labelNames, registers, collect() { collect(this); } });
    gauge('rankd_pool_queue_length', 'Tasks waiting for a pool thread', (g) => g.set(sources.pool().queueLength));
    gauge('rankd_pool_utilization', 'Share of pool thread time spent running tasks (0-1)', (g) => g.set(sources.pool().utilization));
    gauge('rankd_pool_threads', 'Pool threads', (g) => g.set(sources.pool().threads));
    gauge('rankd_generation', 'Current generation of global data', (g) => g.set(sources.global.generation));
    // prom-client's defaults have external memory but not this part of it. Tables are not in it:
    // loader threads allocate them, and V8 counts a buffer where it was made (rankd_table_held_bytes has them).
    gauge('rankd_process_array_buffers_bytes', 'Memory of the ArrayBuffers and SharedArrayBuffers the main thread allocated (global tables are in rankd_table_held_bytes)', (g) =>
      g.set(process.memoryUsage().arrayBuffers),
    );
    const perTable = (name: string, help: string, value: (t: ReturnType<GlobalData['tables']>[number]) => number) =>
      gauge(name, help, (g) => {
        g.reset();
        for (const t of sources.global.tables()) g.set({ table: t.spec.name }, value(t));
      }, ['table']);
    perTable('rankd_table_entries', 'Entries of each global table', (t) => t.image.size);
    perTable('rankd_table_bytes', 'Shared memory of the current version of each global table', (t) => imageBytes(t.image));
    perTable('rankd_table_held_bytes', 'Shared memory held for each global table: the current version, replaced ones calls may still read, spares for the next load', (t) =>
      sources.global.heldBytes(t.spec.name),
    );
    perTable('rankd_table_generation', 'Generation that brought the current version of each table', (t) => t.generation);
    perTable('rankd_table_load_duration_seconds', 'How long the last load of each table took', (t) => t.loadMs / 1000);
    gauge('rankd_etcd_registered', 'Whether this server is registered in etcd (1) or not (0); absent without discovery', (g) => {
      const r = sources.registered?.();
      if (r !== undefined) g.set(r);
    });
  }

  request(api: string, method: string, code: number, seconds: number): void {
    const label = api || 'unknown';
    this.requests.inc({ api: label, method });
    if (code !== 0) this.errors.inc({ api: label, code: String(code) });
    this.latency.observe({ api: label }, seconds);
  }

  update(action: string, ok: boolean, seconds: number): void {
    this.updates.observe({ action, outcome: ok ? 'ok' : 'refused' }, seconds);
  }

  remote(source: string, seconds: number, failed: boolean): void {
    this.remoteLatency.observe({ source }, seconds);
    if (failed) this.remoteErrors.inc({ source });
  }
}
