/**
 * Runs `step` again and again until `stopped()`, starting one every
 * `periodMs` (or at once after a step that took longer): a steady rate,
 * not as fast as possible.
 */
export async function paced(periodMs: number, stopped: () => boolean, step: () => Promise<void>): Promise<void> {
  while (!stopped()) {
    const started = performance.now();
    await step();
    const rest = started + periodMs - performance.now();
    if (rest > 0 && !stopped()) await new Promise((resolve) => setTimeout(resolve, rest));
  }
}
