import { murmur3String } from '../../pool/murmur3.js';

export interface RingMember {
  /** Stable identity of the server; its ring points derive from it alone. */
  id: string;
  /** Relative share; its points are round(virtualNodes × weight), at least 1. */
  weight: number;
}

/**
 * A consistent-hash ring with virtual nodes. A member's points depend only on
 * its id and weight, so adding or removing a member moves only the keys
 * between its points and their neighbours: about 1/N of all keys.
 */
export class HashRing {
  /** Point hashes, ascending. */
  private readonly points: Uint32Array;
  /** For each point, the index of its member in `members`. */
  private readonly owners: Uint32Array;

  constructor(
    readonly members: readonly RingMember[],
    virtualNodes: number,
  ) {
    const entries: [number, number][] = [];
    members.forEach((member, index) => {
      const count = Math.max(1, Math.round(virtualNodes * member.weight));
      for (let i = 0; i < count; i++) entries.push([murmur3String(`${member.id}#${i}`), index]);
    });
    // Ties (rare 32-bit collisions) are broken by id so every client builds the same ring.
    entries.sort((a, b) => a[0] - b[0] || compare(members[a[1]]!.id, members[b[1]]!.id));
    this.points = Uint32Array.from(entries, (entry) => entry[0]);
    this.owners = Uint32Array.from(entries, (entry) => entry[1]);
  }

  get size(): number {
    return this.points.length;
  }

  /** The position of the first point at or after `hash`, wrapping around. */
  position(hash: number): number {
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.points.length ? 0 : lo;
  }

  /** The member index owning the point `steps` after `position`. */
  ownerAt(position: number, steps = 0): number {
    return this.owners[(position + steps) % this.points.length]!;
  }

  /**
   * The member for a key: the owner of the first point clockwise from the
   * key's hash that `usable` accepts (servers that are down are passed over,
   * so their keys go where they would go if the server were removed).
   */
  lookup(key: string, usable: (member: number) => boolean = () => true): number | undefined {
    if (this.points.length === 0) return undefined;
    const start = this.position(hashKey(key));
    const tried = new Set<number>();
    for (let step = 0; step < this.points.length && tried.size < this.members.length; step++) {
      const owner = this.ownerAt(start, step);
      if (usable(owner)) return owner;
      tried.add(owner);
    }
    return undefined;
  }
}

export function hashKey(key: string): number {
  return murmur3String(key);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
