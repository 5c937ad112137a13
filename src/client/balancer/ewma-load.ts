/**
 * The load estimate p2c compares (after go-zero's p2c_ewma): calls in flight
 * times an exponentially weighted moving average of latency. The average
 * decays with time, not with call count: a sample's weight is
 * 1 - exp(-Δt / decay), where Δt is the time since the previous sample, so a
 * busy server's average is as stable as an idle one's.
 *
 * Unlike go-zero, a sample never weighs less than it would in a plain running
 * mean (the k-th at least 1/k): with a purely time-based weight, a busy
 * server's first sample (often a cold start, many times the usual latency)
 * would dominate its average for several decay periods and keep calls away
 * from it. Once a server has more samples than fit in a decay period, the
 * time-based weight is the larger and rules.
 */
export class EwmaLoad {
  inflight = 0;
  /** When a picker last chose this server (for the "force pick" of a server passed over too long). */
  pickedAt = 0;
  private latencyMs = Number.NaN;
  private sampledAt = 0;
  private samples = 0;

  constructor(private readonly decayMs: number) {}

  /** Undefined until the first call ends. */
  get latency(): number | undefined {
    return Number.isNaN(this.latencyMs) ? undefined : this.latencyMs;
  }

  callStarted(): void {
    this.inflight++;
  }

  callEnded(latencyMs: number, now = performance.now()): void {
    this.inflight = Math.max(0, this.inflight - 1);
    if (Number.isNaN(this.latencyMs)) {
      this.latencyMs = latencyMs;
    } else {
      const w = Math.min(Math.exp(-Math.max(0, now - this.sampledAt) / this.decayMs), this.samples / (this.samples + 1));
      this.latencyMs = this.latencyMs * w + latencyMs * (1 - w);
    }
    this.samples++;
    this.sampledAt = now;
  }

  /** Lower is better. `unknownLatencyMs` stands in before the first sample. */
  load(unknownLatencyMs: number): number {
    const latency = Number.isNaN(this.latencyMs) ? unknownLatencyMs : this.latencyMs;
    return Math.max(latency, 0.01) * (this.inflight + 1);
  }
}
