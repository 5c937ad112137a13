import { describe, expect, it } from 'vitest';
import { EwmaLoad } from '../../src/client/balancer/ewma-load.js';

describe('EwmaLoad', () => {
  it('takes the first sample as it is and stands in the given latency before any', () => {
    const load = new EwmaLoad(10_000);
    expect(load.latency).toBeUndefined();
    expect(load.load(5)).toBe(5);
    load.callStarted();
    load.callEnded(20, 1000);
    expect(load.latency).toBe(20);
    expect(load.inflight).toBe(0);
  });

  it('weighs load by calls in flight', () => {
    const load = new EwmaLoad(10_000);
    load.callStarted();
    load.callEnded(4, 0);
    load.callStarted();
    load.callStarted();
    expect(load.load(0)).toBe(4 * 3);
  });

  it('averages early samples plainly, so one cold-start outlier fades quickly', () => {
    const load = new EwmaLoad(10_000);
    load.callEnded(500, 0);
    for (let i = 1; i <= 99; i++) load.callEnded(2, i);
    // A purely time-based weight would leave ~99 % of the 500 ms outlier after 0.1 s.
    expect(load.latency!).toBeLessThan(8);
  });

  it('forgets with time, not call count, once past the first samples', () => {
    const busy = new EwmaLoad(100);
    const idle = new EwmaLoad(100);
    for (const load of [busy, idle]) for (let t = 1; t <= 1000; t++) load.callEnded(10, t);
    // Both turn slow for one decay period: one sampled every 1 ms, the other every 10 ms.
    for (let t = 1; t <= 100; t += 1) busy.callEnded(110, 1000 + t);
    for (let t = 10; t <= 100; t += 10) idle.callEnded(110, 1000 + t);
    const expected = 10 * Math.exp(-1) + 110 * (1 - Math.exp(-1));
    expect(busy.latency!).toBeCloseTo(expected, 0);
    expect(idle.latency!).toBeCloseTo(expected, 0);
  });
});
