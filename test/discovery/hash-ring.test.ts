import { describe, expect, it } from 'vitest';
import { HashRing, type RingMember } from '../../src/client/balancer/hash-ring.js';

const KEYS = Array.from({ length: 20_000 }, (_, i) => `uid-${i}`);
const VIRTUAL_NODES = 160;

function members(count: number, weight = () => 1): RingMember[] {
  return Array.from({ length: count }, (_, i) => ({ id: `10.0.${i >> 8}.${i & 255}:21345`, weight: weight() }));
}

/** Member id per key. */
function place(ring: HashRing, usable?: (member: number) => boolean): string[] {
  return KEYS.map((key) => ring.members[ring.lookup(key, usable)!]!.id);
}

function movedShare(before: string[], after: string[]): number {
  return before.filter((id, k) => id !== after[k]).length / before.length;
}

describe('HashRing', () => {
  it('is deterministic: the same members in any order place every key the same', () => {
    const list = members(5);
    expect(place(new HashRing(list, VIRTUAL_NODES))).toEqual(place(new HashRing([...list].reverse(), VIRTUAL_NODES)));
  });

  it('spreads keys evenly enough with virtual nodes', () => {
    for (const n of [2, 4, 8]) {
      const counts = new Map<string, number>();
      for (const id of place(new HashRing(members(n), VIRTUAL_NODES))) counts.set(id, (counts.get(id) ?? 0) + 1);
      for (const count of counts.values()) expect(Math.abs(count / KEYS.length - 1 / n)).toBeLessThan(0.35 / n);
    }
  });

  it('removing a member moves only its keys, and exactly them', () => {
    for (const n of [3, 4, 6, 10]) {
      const list = members(n);
      const before = place(new HashRing(list, VIRTUAL_NODES));
      const gone = list[1]!.id;
      const after = place(new HashRing(list.filter((m) => m.id !== gone), VIRTUAL_NODES));
      KEYS.forEach((_, k) => {
        if (before[k] !== gone) expect(after[k]).toBe(before[k]);
        else expect(after[k]).not.toBe(gone);
      });
    }
  });

  it('adding a member moves at most 1.5/N of the keys, all to the newcomer', () => {
    for (const n of [2, 3, 4, 5, 8, 16]) {
      const list = members(n);
      const before = place(new HashRing(list.slice(0, n - 1), VIRTUAL_NODES));
      const after = place(new HashRing(list, VIRTUAL_NODES));
      expect(movedShare(before, after)).toBeLessThanOrEqual(1.5 / n);
      KEYS.forEach((_, k) => {
        if (after[k] !== before[k]) expect(after[k]).toBe(list[n - 1]!.id);
      });
    }
  });

  it('gives a member a share of keys in proportion to its weight, and a weight change moves only that member’s keys', () => {
    const list = members(4);
    list[0]!.weight = 3;
    const heavy = place(new HashRing(list, VIRTUAL_NODES));
    const share = heavy.filter((id) => id === list[0]!.id).length / KEYS.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    const light = place(new HashRing(list.map((m, i) => (i === 0 ? { ...m, weight: 1 } : m)), VIRTUAL_NODES));
    KEYS.forEach((_, k) => {
      if (heavy[k] !== light[k]) expect(heavy[k]).toBe(list[0]!.id);
    });
  });

  it('passes over unusable members to the ones that would take their keys on removal', () => {
    const list = members(4);
    const withoutSecond = place(new HashRing(list.filter((_, i) => i !== 1), VIRTUAL_NODES));
    expect(place(new HashRing(list, VIRTUAL_NODES), (member) => member !== 1)).toEqual(withoutSecond);
    expect(new HashRing(list, VIRTUAL_NODES).lookup('k', () => false)).toBeUndefined();
    expect(new HashRing([], VIRTUAL_NODES).lookup('k')).toBeUndefined();
  });
});
