import { describe, expect, it } from 'vitest';
import { BatchSize } from '../../src/offline/batch-size.js';

describe('BatchSize', () => {
  it('starts small, grows by steps toward ~25 ms of work a batch, and shrinks at once for a slow work', () => {
    const size = new BatchSize();
    expect(size.next).toBe(16);
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      size.record(size.next, size.next * 0.1); // 0.1 ms a key
      sizes.push(size.next);
    }
    expect(sizes).toEqual([64, 250, 250, 250, 250]);
    size.record(250, 250 * 5); // the work got 50× slower
    expect(size.next).toBe(16);
  });

  it('stays within 16 and 1024 keys', () => {
    const size = new BatchSize();
    for (let i = 0; i < 10; i++) size.record(size.next, 0);
    expect(size.next).toBe(1024);
    size.record(1024, 60_000);
    expect(size.next).toBe(16);
  });
});
