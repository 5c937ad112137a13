import type { SwapLog } from './swap-log.js';

export type CallKind = 'rank' | 'call' | 'slow';

/**
 * Every call's latency, kept as plain numbers (no object per call: a
 * 10-minute run makes hundreds of thousands): by second of completion, by
 * kind, and by the update the call overlapped — an UpdateGlobal swap, an
 * UpdateWork (a new pool starting: a different cost, kept apart), or none.
 */
export class CallRecorder {
  calls = 0;
  failed = 0;
  firstError: string | undefined;
  /** Latencies (ms) of the calls that ended in each second of the run. */
  readonly bySecond: number[][] = [];
  readonly failedBySecond: number[] = [];
  readonly byKind: Record<CallKind, number[]> = { rank: [], call: [], slow: [] };
  readonly duringSwap: number[] = [];
  readonly duringWorkReload: number[] = [];
  readonly steady: number[] = [];

  constructor(private readonly swaps: SwapLog) {}

  /** A call of `kind` that ran from `start` to `end` (ms on the soak's clock). */
  ok(kind: CallKind, start: number, end: number): void {
    const ms = end - start;
    this.calls++;
    (this.bySecond[Math.floor(end / 1000)] ??= []).push(ms);
    this.byKind[kind].push(ms);
    const met = this.swaps.overlapping(start, end);
    (met === 'UpdateGlobal' ? this.duringSwap : met === 'UpdateWork' ? this.duringWorkReload : this.steady).push(ms);
  }

  fail(end: number, error: Error): void {
    this.calls++;
    this.failed++;
    this.firstError ??= error.message;
    const second = Math.floor(end / 1000);
    this.failedBySecond[second] = (this.failedBySecond[second] ?? 0) + 1;
  }
}

/** The p-quantile (0–1) of `values` (NaN when empty); sorts a copy. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
