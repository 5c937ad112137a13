import { describe, expect, it } from 'vitest';
import { MapBuilder } from '../../globaldb/map-builder.js';
import { SetBuilder } from '../../globaldb/set-builder.js';
import { random32, randomIds, randomSafeIds } from './random-ids.js';

const N = 1_000_000;

describe('1M random ids against a JS Map', () => {
  it('map of ids below 2^53: per-id and batch lookups, hits and misses', () => {
    const keys = randomSafeIds(N, 1);
    const next = random32(2);
    const oracle = new Map<number, number>();
    const builder = new MapBuilder('m', N);
    for (let i = 0; i < N; i++) {
      const v = next();
      oracle.set(keys[i]!, v);
      builder.add(keys[i]!, v);
    }
    // Repeats with new values: the last one must win.
    for (let i = 0; i < N; i += 97) {
      oracle.set(keys[i]!, i);
      builder.add(keys[i]!, i);
    }
    const t = builder.build();
    expect(t.size).toBe(oracle.size);

    const misses = randomSafeIds(N, 3);
    const queries = new Float64Array(2 * N);
    queries.set(keys);
    queries.set(misses, N);
    let wrong = 0;
    let hits = 0;
    for (const id of queries) {
      const want = oracle.get(id);
      if (t.get(id) !== want || t.has(id) !== (want !== undefined)) wrong++;
      if (want !== undefined) hits++;
    }
    expect(wrong).toBe(0);
    expect(hits).toBeGreaterThanOrEqual(N);

    const values = t.getMany(queries, undefined, 0xdead);
    const present = t.hasMany(queries);
    for (let i = 0; i < queries.length; i++) {
      const want = oracle.get(queries[i]!);
      if (values[i] !== (want ?? 0xdead) || present[i] !== (want === undefined ? 0 : 1)) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('set of full-range 64-bit ids, per id (bigint) and batch (BigUint64Array)', () => {
    const keys = randomIds(N, 4);
    const oracle = new Set<bigint>(keys);
    const builder = new SetBuilder('s', N);
    for (const id of keys) builder.add(id);
    const t = builder.build();
    expect(t.size).toBe(oracle.size);

    const queries = new BigUint64Array(2 * N);
    queries.set(keys);
    queries.set(randomIds(N, 5), N);
    const present = t.hasMany(queries);
    let wrong = 0;
    for (let i = 0; i < queries.length; i++) if (present[i] !== (oracle.has(queries[i]!) ? 1 : 0)) wrong++;
    expect(wrong).toBe(0);
    for (let i = 0; i < queries.length; i += 7) if (t.has(queries[i]!) !== oracle.has(queries[i]!)) wrong++;
    expect(wrong).toBe(0);
  });

  it('patterned ids (sequential, shared low or high halves) spread and are all found', () => {
    const ids: bigint[] = [];
    for (let i = 1n; i <= 200_000n; i++) ids.push(i); // sequential
    for (let i = 1n; i <= 100_000n; i++) ids.push(i << 32n); // low half 0
    for (let i = 1n; i <= 100_000n; i++) ids.push((i << 32n) | 0xffff_ffffn); // low half all ones
    for (let i = 0n; i < 100_000n; i++) ids.push(0xffff_ffff_0000_0000n | i); // high half all ones
    const builder = new MapBuilder('patterns');
    ids.forEach((id, i) => builder.add(id, i));
    const t = builder.build();
    expect(t.size).toBe(ids.length);
    const got = t.getMany(BigUint64Array.from(ids), undefined, 0xffff_ffff);
    let wrong = 0;
    for (let i = 0; i < ids.length; i++) if (got[i] !== i) wrong++;
    expect(wrong).toBe(0);
    expect(t.has(200_001)).toBe(false);
    // Misses shaped like those hits: their low half is a resident's, or an empty slot's 0.
    const absent: bigint[] = [];
    for (let i = 100_001n; i <= 200_000n; i++) absent.push(i << 32n, (i << 32n) | 0xffff_ffffn);
    expect(t.hasMany(BigUint64Array.from(absent)).reduce((a, b) => a + b, 0)).toBe(0);
    expect(t.has(100_001n << 32n)).toBe(false);
  });

  it('small tables, where probe runs often wrap past the end, find every id and only those', () => {
    const next = random32(6);
    let wrong = 0;
    for (let round = 0; round < 2000; round++) {
      const n = 1 + (next() % 60);
      const ids = randomSafeIds(n, round);
      const builder = new MapBuilder('small');
      ids.forEach((id, i) => builder.add(id, i));
      builder.add(ids[0]!, 1_000_000); // a repeat, last wins
      const t = builder.build();
      ids.forEach((id, i) => {
        if (t.get(id) !== (i === 0 ? 1_000_000 : i)) wrong++;
      });
      for (const id of randomSafeIds(50, 10_000 + round)) if (t.has(id)) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('a table sized for many repeats shrinks to the distinct ids', () => {
    const builder = new MapBuilder('repeats');
    for (let i = 0; i < 100_000; i++) builder.add(i % 1000, i);
    const t = builder.build();
    expect(t.size).toBe(1000);
    expect(t.bytes).toBeLessThan(1000 * 20 + 1024);
    for (let id = 0; id < 1000; id++) expect(t.get(id)).toBe(99_000 + id);
  });
});
