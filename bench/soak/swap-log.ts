/** One control update as the soak saw it: sent at `start`, answered at `end` (ms on the soak's clock). */
export interface SwapInterval {
  kind: 'UpdateGlobal' | 'UpdateWork';
  start: number;
  end: number | undefined;
  ok: boolean;
}

/** The updates of a run, in order, and whether a call's span overlapped one. */
export class SwapLog {
  readonly intervals: SwapInterval[] = [];

  begin(kind: SwapInterval['kind'], at: number): SwapInterval {
    const interval: SwapInterval = { kind, start: at, end: undefined, ok: false };
    this.intervals.push(interval);
    return interval;
  }

  /** Whether [start, end] meets an update (one still running counts as running until now). */
  overlaps(start: number, end: number): boolean {
    for (let i = this.intervals.length - 1; i >= 0; i--) {
      const s = this.intervals[i]!;
      // Updates are sequential: once one ended before the call began, every earlier one did too.
      if (s.end !== undefined && s.end < start) return false;
      if (s.start <= end) return true;
    }
    return false;
  }
}
