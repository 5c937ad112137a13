/**
 * Writes the sample global data of the default deployment (config/data/*.txt)
 * in lab_common_so's file formats. Deterministic: a fixed seed, so the files
 * only change when this script does (a test checks they match it).
 *
 *   npx tsx config/data/make-sample-data.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SEED = 0x5eed_2024n;
const ITEM_COUNT = 2000;
const CATEGORY_COUNT = 40;

/** splitmix64: tiny, seedable, full 64-bit output (ids beyond 2^53 need it). */
class Random {
  private state: bigint;

  constructor(seed: bigint) {
    this.state = BigInt.asUintN(64, seed);
  }

  next64(): bigint {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }

  /** An integer in [low, high). */
  between(low: bigint, high: bigint): bigint {
    return low + (this.next64() % (high - low));
  }

  below(n: number): number {
    return Number(this.next64() % BigInt(n));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

const TWO_53 = 2n ** 53n;
const TWO_64 = 2n ** 64n;

/** `count` distinct ids in [low, high). */
function distinctIds(random: Random, count: number, low: bigint, high: bigint, taken = new Set<bigint>()): bigint[] {
  const ids: bigint[] = [];
  while (ids.length < count) {
    const id = random.between(low, high);
    if (taken.has(id)) continue;
    taken.add(id);
    ids.push(id);
  }
  return ids;
}

const WORDS = ['spring', 'harbor', 'maple', 'signal', 'orbit', 'lantern', 'meadow', 'copper', 'river', 'summit', 'pixel', 'falcon'];

/** File name → contents. */
export function sampleData(): Map<string, string> {
  const random = new Random(SEED);
  const taken = new Set<bigint>();
  // Item ids like Weibo's mids (16 digits, below 2^53), plus a few that need all 64 bits.
  const items = [
    ...distinctIds(random, ITEM_COUNT - 24, 1_000_000_000_000_000n, 5_000_000_000_000_000n, taken),
    ...distinctIds(random, 24, TWO_53, TWO_64, taken),
  ];
  const users = distinctIds(random, 120, 1_000_000_000n, 7_000_000_000n);

  const blacklist = [
    ...Array.from({ length: 200 }, () => random.pick(items)).filter((id, i, all) => all.indexOf(id) === i),
    ...distinctIds(random, 80, 1_000_000_000_000_000n, 5_000_000_000_000_000n, taken),
    ...distinctIds(random, 18, TWO_53, TWO_64 - 1n, taken),
    // The edges of the 64-bit range and of exact float64 integers.
    TWO_64 - 1n,
    2n ** 63n,
    TWO_53,
    TWO_53 - 1n,
  ];

  const category = new Map(items.map((id) => [id, 1 + random.below(CATEGORY_COUNT)]));
  const info = items.map((id) => {
    const value = {
      title: `${random.pick(WORDS)} ${random.pick(WORDS)} #${random.below(1000)}`,
      category: category.get(id)!,
      author: random.pick(users).toString(),
      score: random.below(10_000) / 10_000,
    };
    return `${id}\t${JSON.stringify(value)}`;
  });

  const lines = (rows: readonly (string | bigint)[]): string => rows.map(String).join('\n') + '\n';
  return new Map([
    ['blacklist.txt', lines(blacklist)],
    ['whitelist.txt', lines(users.slice(0, 60))],
    ['item_category.txt', lines(items.map((id) => `${id}\t${category.get(id)}`))],
    ['item_info.txt', lines(info)],
  ]);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [name, contents] of sampleData()) {
    writeFileSync(fileURLToPath(new URL(name, import.meta.url)), contents);
  }
}
