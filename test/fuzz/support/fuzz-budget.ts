/**
 * Every fuzz property's share of the CI budget, in one table, so the total
 * is visible and checked (fuzz-budget.test.ts) and each property runs with a
 * fixed seed: CI is deterministic, and a failure's seed and counterexample
 * (printed by fc.assert) replay it.
 *
 * `numRuns` is how many cases fast-check generates; `perRun` is how many
 * requests or files one case sends or writes, when that is more than one
 * (network properties send a batch per case, concurrently).
 *
 * For a longer local hunt: RANKD_FUZZ_SCALE=10 multiplies every numRuns,
 * RANKD_FUZZ_SEED=<n> replaces the fixed seeds.
 */
export interface PropertyBudget {
  numRuns: number;
  perRun?: number;
}

export const FUZZ_BUDGET = {
  // Rank over the network (rank-requests.test.ts)
  'rank: random bytes': { numRuns: 50, perRun: 24 },
  'rank: mutated valid requests': { numRuns: 60, perRun: 24 },
  'rank: mutations that must be refused': { numRuns: 50, perRun: 24 },
  // Call over the network (call-requests.test.ts)
  'call: random text': { numRuns: 40, perRun: 24 },
  'call: random JSON bodies': { numRuns: 60, perRun: 24 },
  // Valid requests among bad ones (valid-amid-bad.test.ts)
  'valid replies amid bad requests': { numRuns: 30, perRun: 48 },
  // A real rankd process (server-process.test.ts)
  'server process: alive after batches of bad requests': { numRuns: 20, perRun: 48 },
  // Set, map and kv files (id-files.test.ts)
  'id files: random set files': { numRuns: 1000 },
  'id files: random map files': { numRuns: 1000 },
  'id files: random kv files': { numRuns: 1000 },
  'id files: mutations that must be refused': { numRuns: 600 },
  'id files: through the loader thread': { numRuns: 30 },
  // Weights files (weights-files.test.ts)
  'weights: random text files': { numRuns: 800 },
  'weights: random binary files': { numRuns: 800 },
  'weights: mutations that must be refused': { numRuns: 400 },
  'weights: through the loader thread': { numRuns: 20 },
  // rankd.ini (rankd-ini.test.ts)
  'rankd.ini: valid files load as written': { numRuns: 500 },
  'rankd.ini: mutations are refused where they are': { numRuns: 800 },
  // global_db_config.ini (global-db-config.test.ts)
  'global_db_config.ini: valid files load as written': { numRuns: 500 },
  'global_db_config.ini: mutations are refused where they are': { numRuns: 600 },
  'global_db_config.ini: accepted separators work in the loader': { numRuns: 300 },
  // work_config.ini and alg/*.ini (work-config.test.ts)
  'work_config.ini: valid files load as written': { numRuns: 300 },
  'work_config.ini: mutations are refused where they are': { numRuns: 500 },
  // Line noise in every config file (config-noise.test.ts)
  'config noise: every loader loads or names the file': { numRuns: 1000 },
  'config noise: loadConfig over a whole folder': { numRuns: 150 },
} as const satisfies Record<string, PropertyBudget>;

export type PropertyName = keyof typeof FUZZ_BUDGET;

const scale = Number(process.env.RANKD_FUZZ_SCALE ?? 1);
const seedOverride = process.env.RANKD_FUZZ_SEED;

/** fc.assert parameters of one property: its fixed seed and its number of runs. */
export function fuzzParams(name: PropertyName): { seed: number; numRuns: number } {
  const seed = seedOverride !== undefined ? Number(seedOverride) : fnv1a(name);
  return { seed, numRuns: Math.max(1, Math.round(FUZZ_BUDGET[name].numRuns * scale)) };
}

/** A stable 32-bit seed per property name (FNV-1a), so adding a property does not reseed the others. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Vitest timeout of a network fuzz test: room for a run and for shrinking a failure. */
export const NETWORK_TEST_TIMEOUT_MS = 100_000;

/**
 * fc.assert parameters of a network property: shrinking a failing batch
 * sends batch after batch, so it stops after 45 s and reports the smallest
 * counterexample found by then (instead of the test timing out silently);
 * a run that takes that long without failing counts as a failure too.
 */
export function networkFuzzParams(name: PropertyName): ReturnType<typeof fuzzParams> & { interruptAfterTimeLimit: number; markInterruptAsFailure: boolean } {
  return { ...fuzzParams(name), interruptAfterTimeLimit: 45_000, markInterruptAsFailure: true };
}
