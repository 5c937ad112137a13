import type { PlanSpec } from '../config/work-spec.js';
import { murmur3String } from './murmur3.js';
import type { Algorithm, GlobalTables, Plan } from './work.js';

/**
 * lab_common_so's plan rule: whitelisted users get plan "-2"; otherwise the
 * bucket of the user id — (uid/10)%10, or a salted hash so that experiments
 * are independent — picks a plan when one is configured for it; else "-1".
 */
export class PlanRule {
  private readonly whitelistPlan: Plan | undefined;
  private readonly defaultPlan: Plan;
  /** Plan per bucket, undefined where the default applies. */
  private readonly byBucket: (Plan | undefined)[];

  constructor(
    private readonly spec: PlanSpec,
    algorithms: Readonly<Record<string, Algorithm>>,
  ) {
    const plan = (code: string, names: string[]): Plan => ({
      code,
      names,
      algorithms: names.map((n) => algorithms[n]!),
    });
    this.whitelistPlan = spec.whitelistChain && plan('-2', spec.whitelistChain);
    this.defaultPlan = plan('-1', spec.defaultChain);
    this.byBucket = new Array<Plan | undefined>(spec.buckets).fill(undefined);
    for (const range of spec.bucketChains) {
      for (let b = range.from; b <= range.to; b++) this.byBucket[b] = plan(String(b), range.chain);
    }
  }

  planFor(userId: number | bigint | string, global: GlobalTables): Plan {
    const uid = typeof userId === 'bigint' ? userId : BigInt(userId);
    if (this.whitelistPlan !== undefined && this.spec.whitelist !== undefined && global.has(this.spec.whitelist)) {
      if (global.set(this.spec.whitelist).has(uid)) return this.whitelistPlan;
    }
    return this.byBucket[this.bucketOf(uid)] ?? this.defaultPlan;
  }

  bucketOf(uid: bigint): number {
    if (this.spec.mode === 'digit') return Number((uid / 10n) % 10n);
    return murmur3String(`${this.spec.salt}${uid}`) % this.spec.buckets;
  }
}
