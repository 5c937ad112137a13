/**
 * Which server of a source reads which keys. `hash` sends each key to
 * murmur3(stored key, key_prefix included) % servers (the same hash rankd uses for plan buckets,
 * so writers in any language can place keys where rankd looks for them);
 * `random` sends a whole read to one server picked at random (replicas).
 */
import { murmur3String } from '../pool/murmur3.js';
import type { ServerSelect } from './source-spec.js';

/** Keys of one read that go to one server. */
export interface ShardGroup {
  shard: number;
  keys: string[];
  /** Positions of `keys` in the whole read; undefined when the group is the whole read, in order. */
  positions: number[] | undefined;
}

export type ShardSelector = (keys: string[]) => ShardGroup[];

/** The server index that holds `key` under hash selection. */
export function shardOf(key: string, servers: number): number {
  return murmur3String(key) % servers;
}

export function shardSelector(select: ServerSelect, servers: number): ShardSelector {
  if (servers < 1) throw new Error('a source needs at least one server');
  if (servers === 1) return (keys) => [{ shard: 0, keys, positions: undefined }];
  if (select === 'random') return (keys) => [{ shard: Math.floor(Math.random() * servers), keys, positions: undefined }];
  return (keys) => {
    const groups: (ShardGroup & { positions: number[] })[] = [];
    const byShard = new Array<(ShardGroup & { positions: number[] }) | undefined>(servers);
    for (let i = 0; i < keys.length; i++) {
      const shard = shardOf(keys[i]!, servers);
      let group = byShard[shard];
      if (group === undefined) {
        group = byShard[shard] = { shard, keys: [], positions: [] };
        groups.push(group);
      }
      group.keys.push(keys[i]!);
      group.positions.push(i);
    }
    return groups;
  };
}
