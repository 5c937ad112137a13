import { describe, expect, it } from 'vitest';
import { IdleCollector } from '../../src/pool/idle-collector.js';

describe('IdleCollector', () => {
  it('waits while calls run and collects once the thread has been quiet', async () => {
    let busy = true;
    let collections = 0;
    const c = new IdleCollector(() => busy, { quietMs: 20, maxDeferMs: 60_000, collect: () => collections++ });
    c.due();
    c.active();
    // Busy: several check periods pass without a collection.
    const until = performance.now() + 100;
    await expect.poll(() => performance.now() >= until, { timeout: 5000, interval: 10 }).toBe(true);
    expect(collections).toBe(0);
    busy = false;
    await expect.poll(() => collections, { timeout: 5000, interval: 5 }).toBe(1);
    // One collection per due(): nothing more without a new one.
    const later = performance.now() + 100;
    await expect.poll(() => performance.now() >= later, { timeout: 5000, interval: 10 }).toBe(true);
    expect(collections).toBe(1);
  });

  it('collects a thread that is never quiet once the deferral limit passed, between tasks', async () => {
    let collections = 0;
    const c = new IdleCollector(() => false, { quietMs: 1000, maxDeferMs: 50, collect: () => collections++ });
    c.due();
    // Activity every few ms: never quiet for 1 s, yet not busy at the checks.
    const load = setInterval(() => c.active(), 2);
    try {
      await expect.poll(() => collections, { timeout: 5000, interval: 5 }).toBe(1);
    } finally {
      clearInterval(load);
    }
  });
});
