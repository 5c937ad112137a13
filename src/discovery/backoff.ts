/** Exponential delays with jitter, capped: 100, ~200, ~400 … maxMs. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  multiplier?: number;
  /** Each delay varies by up to ± this fraction, so many servers do not retry in step. */
  jitter?: number;
}

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** The delay before the next attempt; each call grows it until the cap. */
  next(): number {
    const { initialMs, maxMs, multiplier = 2, jitter = 0.2 } = this.options;
    const base = Math.min(maxMs, initialMs * multiplier ** this.attempt);
    this.attempt++;
    return Math.round(base * (1 + jitter * (2 * Math.random() - 1)));
  }

  reset(): void {
    this.attempt = 0;
  }
}
