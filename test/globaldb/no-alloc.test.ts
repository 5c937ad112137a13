import { GCProfiler } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { MapBuilder } from '../../globaldb/map-builder.js';
import type { MapTable, SetTable } from '../../globaldb/table.js';
import { SetBuilder } from '../../globaldb/set-builder.js';
import { randomSafeIds } from './random-ids.js';

/**
 * The number path must not allocate. Values stay below 2^31, so returning
 * one needs no heap number. Two million lookups that allocated even 16 bytes
 * each would trigger several young-generation collections.
 */
const keys = randomSafeIds(100_000, 21);
const mapBuilder = new MapBuilder('m');
const setBuilder = new SetBuilder('s');
keys.forEach((id, i) => {
  mapBuilder.add(id, i);
  setBuilder.add(id);
});
const map = mapBuilder.build();
const set = setBuilder.build();
const queries = new Float64Array(200_000);
queries.set(keys);
queries.set(randomSafeIds(100_000, 22), 100_000);

/**
 * Garbage collections while `run` runs ten times, after warming it up. V8
 * optimizes on a background thread, so a window can still catch unoptimized
 * code that allocates; the fewest over five windows is returned. Code that
 * allocates per lookup collects in every window, so the test still fails.
 */
function collectionsDuring(run: () => number, expected: number): string[] {
  for (let i = 0; i < 20; i++) run();
  let fewest: string[] | undefined;
  for (let attempt = 0; attempt < 5 && fewest?.length !== 0; attempt++) {
    const profiler = new GCProfiler();
    profiler.start();
    let found = 0;
    for (let i = 0; i < 10; i++) found += run();
    const gcs = profiler.stop().statistics.map((g) => g.gcType);
    expect(found).toBe(10 * expected);
    if (fewest === undefined || gcs.length < fewest.length) fewest = gcs;
  }
  return fewest!;
}

// One loop per call, as V8 inlines the lookup into its caller only while the
// caller's inlining budget lasts: an un-inlined call would box each id read
// from the Float64Array (a caller-side cost, but one the table's size decides).
function gets(t: MapTable, ids: Float64Array): number {
  let found = 0;
  for (let i = 0; i < ids.length; i++) if (t.get(ids[i]!) !== undefined) found++;
  return found;
}

function has(t: SetTable, ids: Float64Array): number {
  let found = 0;
  for (let i = 0; i < ids.length; i++) if (t.has(ids[i]!)) found++;
  return found;
}

describe('lookups by number id allocate nothing', () => {
  it('map.get and set.has with ids already boxed (a plain array)', () => {
    const boxed: unknown[] = ['not a number'];
    for (const id of queries) boxed.push(id);
    boxed.shift();
    const ids = boxed as number[];
    const gets = (): number => {
      let found = 0;
      for (let i = 0; i < ids.length; i++) if (map.get(ids[i]!) !== undefined) found++;
      return found;
    };
    const has = (): number => {
      let found = 0;
      for (let i = 0; i < ids.length; i++) if (set.has(ids[i]!)) found++;
      return found;
    };
    expect(collectionsDuring(gets, 100_000)).toEqual([]);
    expect(collectionsDuring(has, 100_000)).toEqual([]);
  });

  it('map.get and set.has with ids read from a Float64Array: the lookup is small enough to be inlined', () => {
    expect(collectionsDuring(() => gets(map, queries), 100_000)).toEqual([]);
    expect(collectionsDuring(() => has(set, queries), 100_000)).toEqual([]);
  });

  it('getMany and hasMany into given arrays', () => {
    const values = new Uint32Array(queries.length);
    const flags = new Uint8Array(queries.length);
    const batch = (): number => {
      map.getMany(queries, values, 0xffff_ffff);
      set.hasMany(queries, flags);
      let found = 0;
      for (let i = 0; i < queries.length; i++) found += (values[i] !== 0xffff_ffff ? 1 : 0) + flags[i]!;
      return found;
    };
    expect(collectionsDuring(batch, 200_000)).toEqual([]);
  });
});
