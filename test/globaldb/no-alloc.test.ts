import { GCProfiler } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { MapBuilder } from '../../globaldb/map-builder.js';
import { SetBuilder } from '../../globaldb/set-builder.js';
import { randomSafeIds } from './random-ids.js';

/**
 * The number fast path must not allocate. Ids are held boxed already (a
 * plain array that also holds a non-number), so calling `get` needs no new
 * heap number; values stay below 2^31, so returning one needs none either.
 * Two million lookups that allocated even 16 bytes each would trigger
 * several young-generation collections.
 */
describe('lookups by number id allocate nothing', () => {
  const keys = randomSafeIds(100_000, 21);
  const mapBuilder = new MapBuilder('m');
  const setBuilder = new SetBuilder('s');
  keys.forEach((id, i) => {
    mapBuilder.add(id, i);
    setBuilder.add(id);
  });
  const map = mapBuilder.build();
  const set = setBuilder.build();
  const ids: unknown[] = ['boxed'];
  for (const id of keys) ids.push(id);
  for (const id of randomSafeIds(100_000, 22)) ids.push(id);
  ids.shift();
  const queries = ids as number[];

  function lookUp(rounds: number): number {
    let found = 0;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < queries.length; i++) {
        if (map.get(queries[i]!) !== undefined) found++;
        if (set.has(queries[i]!)) found++;
      }
    }
    return found;
  }

  it('no garbage collection during 2M map.get and 2M set.has', () => {
    lookUp(20); // let V8 optimize get and has
    const profiler = new GCProfiler();
    profiler.start();
    const found = lookUp(10);
    const gcs = profiler.stop().statistics;
    expect(found).toBe(10 * 2 * 100_000);
    expect(gcs.map((g) => g.gcType)).toEqual([]);
  });
});
