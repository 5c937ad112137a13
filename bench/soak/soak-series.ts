import { type CallRecorder, quantile } from './call-recorder.js';
import type { MemorySample } from './memory-sampler.js';
import type { SwapLog } from './swap-log.js';

/** One second of the run: memory sampled in it, and the calls that ended in it. */
export interface SecondRow {
  t: number;
  rssMb: number;
  arrayBuffersMb: number;
  externalMb: number;
  tablesMb: number;
  calls: number;
  failed: number;
  p99Ms: number;
  /** 1 while an UpdateGlobal ran in this second, 2 while an UpdateWork did, else 0. */
  update: 0 | 1 | 2;
}

const MB = 1024 * 1024;

/** Per-second rows of a run, one per memory sample. */
export function secondRows(samples: readonly MemorySample[], recorder: CallRecorder, swaps: SwapLog): SecondRow[] {
  return samples.map((s) => {
    const second = Math.floor(s.t / 1000);
    const latencies = recorder.bySecond[second] ?? [];
    const running = swaps.intervals.filter((i) => i.start < (second + 1) * 1000 && (i.end ?? Number.POSITIVE_INFINITY) >= second * 1000);
    return {
      t: second,
      rssMb: s.rssBytes / MB,
      arrayBuffersMb: s.arrayBuffersBytes / MB,
      externalMb: s.externalBytes / MB,
      tablesMb: s.tableBytes / MB,
      calls: latencies.length + (recorder.failedBySecond[second] ?? 0),
      failed: recorder.failedBySecond[second] ?? 0,
      p99Ms: quantile(latencies, 0.99),
      update: running.some((i) => i.kind === 'UpdateWork') ? 2 : running.length > 0 ? 1 : 0,
    };
  });
}

export function rowsCsv(rows: readonly SecondRow[]): string {
  const lines = rows.map((r) =>
    [r.t, r.rssMb.toFixed(1), r.arrayBuffersMb.toFixed(1), r.externalMb.toFixed(1), r.tablesMb.toFixed(1), r.calls, r.failed, Number.isNaN(r.p99Ms) ? '' : r.p99Ms.toFixed(2), r.update].join(','),
  );
  return `t_s,rss_mb,array_buffers_mb,external_mb,tables_mb,calls,failed,p99_ms,update\n${lines.join('\n')}\n`;
}

/** RSS over a window: the median of its samples, so one sample taken mid-swap does not decide. */
export function medianRss(samples: readonly MemorySample[], fromMs: number, toMs: number): number {
  const inWindow = samples.filter((s) => s.t >= fromMs && s.t < toMs).map((s) => s.rssBytes);
  return quantile(inWindow, 0.5);
}
