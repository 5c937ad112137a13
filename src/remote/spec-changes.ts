import { isDeepStrictEqual } from 'node:util';
import type { SourceSpec } from './source-spec.js';

/** How a new db_config.ini differs from the current one, by source name. */
export interface SpecChanges {
  added: string[];
  /** Same name, different settings: new clients replace the old ones. */
  changed: string[];
  /** Same settings: the clients stay. */
  kept: string[];
  removed: string[];
}

/** Same settings, so the same clients can serve both. */
export function sameSpec(a: SourceSpec, b: SourceSpec): boolean {
  return isDeepStrictEqual(a, b);
}

export function specChanges(current: readonly SourceSpec[], next: readonly SourceSpec[]): SpecChanges {
  const before = new Map(current.map((spec) => [spec.name, spec]));
  const after = new Set(next.map((spec) => spec.name));
  const changes: SpecChanges = { added: [], changed: [], kept: [], removed: [] };
  for (const spec of next) {
    const old = before.get(spec.name);
    if (old === undefined) changes.added.push(spec.name);
    else if (sameSpec(old, spec)) changes.kept.push(spec.name);
    else changes.changed.push(spec.name);
  }
  for (const name of before.keys()) if (!after.has(name)) changes.removed.push(name);
  return changes;
}
