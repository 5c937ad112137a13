/**
 * The [plans] section of an alg/*.ini: which algorithm chain serves a user.
 *
 *   [plans]
 *   mode = digit            ; digit: lab_common_so's (uid/10)%10; hash: murmur3(salt + uid) % buckets
 *   whitelist = whitelist   ; global set of user ids served by plan -2
 *   salt = exp-2026-11      ; hash mode: a new salt reshuffles users independently of other experiments
 *   buckets = 100           ; hash mode: 1..10000 (digit mode always has 10)
 *   -2 = lr_fresh           ; whitelisted users
 *   -1 = lr_main            ; everyone else (required)
 *   3 = lr_fresh            ; bucket 3; ranges too: 0-49 = lr_fresh
 *
 * A chain is a comma-separated list of algorithm sections, run in order.
 */
import type { ReadContext } from './schema.js';
import { int, oneOf, readSection, string } from './schema.js';
import type { PlanSpec } from './work-spec.js';

const plansSection = {
  mode: oneOf(['digit', 'hash'] as const).default('digit'),
  whitelist: string().optional(),
  salt: string().default(''),
  buckets: int({ min: 1, max: 10000 }).optional(),
};

const CODE = /^(-[12]|\d+(?:-\d+)?)$/;

export function readPlans(context: ReadContext, algorithms: readonly string[]): PlanSpec {
  const { ini, problems } = context;
  const written = ini.sections.get('plans') ?? new Map<string, string>();
  const own = new Map([...written].filter(([key]) => !CODE.test(key)));
  const fields = readSection({ ...context, ini: { ...ini, sections: new Map([['plans', own]]) } }, 'plans', plansSection);
  const buckets = fields.mode === 'digit' ? 10 : (fields.buckets ?? 10);
  if (fields.mode === 'digit' && fields.buckets !== undefined && fields.buckets !== 10) {
    problems.add({ file: ini.file, section: 'plans', key: 'buckets', message: 'digit mode always has 10 buckets; use mode = hash for other counts' });
  }
  if (written.size === 0 && !ini.sections.has('plans')) {
    problems.add({ file: ini.file, section: 'plans', message: 'missing: an algorithm config needs a [plans] section with at least "-1 = <algorithm>"' });
  }

  const chain = (key: string, value: string): string[] => {
    const names = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (names.length === 0) problems.add({ file: ini.file, section: 'plans', key, message: 'an empty chain: name one or more algorithm sections' });
    for (const n of names) {
      if (!algorithms.includes(n)) {
        problems.add({ file: ini.file, section: 'plans', key, message: `no algorithm section [${n}] (sections: ${algorithms.join(', ') || 'none'})` });
      }
    }
    return names;
  };

  const spec: PlanSpec = {
    mode: fields.mode,
    whitelist: fields.whitelist,
    salt: fields.salt,
    buckets,
    whitelistChain: undefined,
    defaultChain: [],
    bucketChains: [],
  };
  for (const [key, value] of written) {
    if (!CODE.test(key)) continue;
    if (key === '-2') spec.whitelistChain = chain(key, value);
    else if (key === '-1') spec.defaultChain = chain(key, value);
    else {
      const [from, to = from] = key.split('-').map(Number) as [number, number?];
      if (from > to! || to! >= buckets) {
        problems.add({ file: ini.file, section: 'plans', key, message: `bucket range outside 0-${buckets - 1}` });
        continue;
      }
      spec.bucketChains.push({ from, to: to!, chain: chain(key, value) });
    }
  }
  if (!written.has('-1') && ini.sections.has('plans')) {
    problems.add({ file: ini.file, section: 'plans', key: '-1', message: 'missing: the default plan is required' });
  }
  if (spec.whitelistChain !== undefined && spec.whitelist === undefined) {
    problems.add({ file: ini.file, section: 'plans', key: 'whitelist', message: 'missing: plan -2 needs the name of a global set of user ids' });
  }
  return spec;
}
