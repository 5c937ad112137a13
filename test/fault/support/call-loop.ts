/**
 * Callers that call without pause until stopped, one call in flight each,
 * keeping every reply and every failure: the "load" the fault tests inject
 * their faults under.
 */
export class CallLoop<T> {
  readonly replies: T[] = [];
  readonly failures: { caller: number; error: Error }[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly callers: number,
    private readonly call: (caller: number) => Promise<T>,
  ) {}

  start(): this {
    this.running = true;
    this.loops = Array.from({ length: this.callers }, (_, caller) => this.loop(caller));
    return this;
  }

  /** Resolves once every caller's last call has ended. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(caller: number): Promise<void> {
    while (this.running) {
      try {
        this.replies.push(await this.call(caller));
      } catch (e) {
        this.failures.push({ caller, error: e as Error });
        // A failing caller must not spin; failures are what the tests count, not their rate.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }
}
