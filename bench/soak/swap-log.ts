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

  /** The update a call that ran from `start` to `end` met: UpdateWork before UpdateGlobal, undefined for none. */
  overlapping(start: number, end: number): SwapInterval['kind'] | undefined {
    let met: SwapInterval['kind'] | undefined;
    for (let i = this.intervals.length - 1; i >= 0; i--) {
      const s = this.intervals[i]!;
      // Updates are sequential: once one ended before the call began, every earlier one did too.
      if (s.end !== undefined && s.end < start) break;
      if (s.start > end) continue;
      if (s.kind === 'UpdateWork') return s.kind;
      met = s.kind;
    }
    return met;
  }
}
