import type { RankdClient } from '../../../src/client/index.js';

/** One answered call of the probe work. */
export interface ServedCall {
  server: string;
  /** When the client sent it: the balancer's choice, free of the server's own queueing. */
  sentAt: number;
  /** Server clock (same machine) when the work ran. */
  at: number;
  latencyMs: number;
}

export interface FailedCall {
  at: number;
  message: string;
}

/**
 * Clients calling the probe work without pause, one call in flight each,
 * recording who served every call and every failure, until stopped.
 */
export class CallLoad {
  readonly served: ServedCall[] = [];
  readonly failed: FailedCall[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly clients: RankdClient[],
    private readonly body: (client: number) => Record<string, unknown> = () => ({}),
  ) {}

  start(): this {
    this.running = true;
    this.loops = this.clients.map((client, index) => this.loop(client, index));
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Calls each server answered, by address. */
  countsByServer(from = 0): Map<string, number> {
    const counts = new Map<string, number>();
    for (const call of this.served.slice(from)) counts.set(call.server, (counts.get(call.server) ?? 0) + 1);
    return counts;
  }

  private async loop(client: RankdClient, index: number): Promise<void> {
    while (this.running) {
      const sentAt = Date.now();
      const started = performance.now();
      try {
        const reply = await client.call<{ server: string; at: number }>({ api: 'probe', ...this.body(index) });
        this.served.push({ server: reply.server, sentAt, at: reply.at, latencyMs: performance.now() - started });
      } catch (e) {
        this.failed.push({ at: Date.now(), message: (e as Error).message });
        // Keep a failing client from spinning: failures are what the tests count, not their rate.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }
}
