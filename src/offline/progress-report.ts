/** Progress on stderr: a bar with rate and ETA on a terminal, a plain line every few seconds otherwise. */
export class ProgressReport {
  private readonly start = performance.now();
  // The first plain line comes 5 s after the start, not at the first batch.
  private lastPlain = this.start;

  constructor(
    private readonly total: number,
    private readonly tty: boolean,
    private readonly write: (s: string) => void = (s) => process.stderr.write(s),
  ) {}

  /**
   * `done` keys were run (`failed` of them failed) and `skipped` were already
   * in the output (--resume): skipped keys count toward the total but not the
   * rate, so a resumed run's ETA is that of the keys it still has to run.
   */
  update(done: number, failed: number, skipped = 0): void {
    const now = performance.now();
    const elapsed = (now - this.start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? Math.max(0, this.total - skipped - done) / rate : Infinity;
    const counts = `${done + skipped}/${this.total} keys, ${failed} failed, ${Math.round(rate)} keys/s, ETA ${formatSeconds(eta)}`;
    if (this.tty) {
      const width = 30;
      const filled = this.total > 0 ? Math.min(width, Math.round((width * (done + skipped)) / this.total)) : width;
      this.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${counts}   `);
    } else if (now - this.lastPlain >= 5000) {
      this.lastPlain = now;
      this.write(`progress: ${counts}\n`);
    }
  }

  finish(done: number, failed: number, skipped: number): void {
    const wall = (performance.now() - this.start) / 1000;
    if (this.tty) this.write('\n');
    this.write(
      `done: ${done} keys, ${failed} failed, ${skipped} skipped (already in the output), ${Math.round(done / Math.max(wall, 1e-9))} keys/s, wall ${wall.toFixed(1)} s\n`,
    );
  }
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
}
