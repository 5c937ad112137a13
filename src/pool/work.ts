/**
 * What a work (business module, one per api) and an algorithm see. These are
 * the plug-in seams: a work file default-exports a `Work`, an algorithm file
 * default-exports an `AlgorithmModule`.
 */
import type { AnyTable, IdArray, KvTable, MapTable, SetTable, WeightsTable } from '../../globaldb/table.js';
import type { RemoteAccess } from '../remote/remote-access.js';
import type { RankBatch } from '../rpc/rank-request.js';

/** The current generation's tables, by name. */
export interface GlobalTables {
  readonly generation: number;
  table(name: string): AnyTable;
  set(name: string): SetTable;
  map(name: string): MapTable;
  kv(name: string): KvTable;
  weights(name: string): WeightsTable;
  has(name: string): boolean;
}

export interface WorkLog {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** The algorithm chain chosen for one user, by lab_common_so's plan rule. */
export interface Plan {
  /** "-2" whitelist, a bucket code, or "-1" default. */
  readonly code: string;
  /** Algorithm section names, in chain order. */
  readonly names: readonly string[];
  readonly algorithms: readonly Algorithm[];
}

export interface WorkContext {
  readonly api: string;
  readonly requestId: string;
  /** Epoch milliseconds after which the caller has given up. */
  readonly deadline: number;
  /** Tables of the generation this request is bound to, for its whole run. */
  readonly global: GlobalTables;
  /** Algorithm instances of this work's algorithm config, by section name. */
  readonly algorithms: Readonly<Record<string, Algorithm>>;
  /** The plan for a user id (number < 2^53, bigint or decimal string). */
  plan(userId: number | bigint | string): Plan;
  /** Work-specific keys from work_config.ini. */
  readonly params: Readonly<Record<string, string>>;
  /** Remote sources of db_config.ini, bound to this request's deadline: `ctx.remote.<name>.mget(keys)`, `ctx.remote.fetch({…})`. */
  readonly remote: RemoteAccess;
  readonly log: WorkLog;
  /** Records a named stage for per-stage timings (ms since the previous mark). */
  mark(stage: string): void;
}

/** What a typed Rank call returns from a work. */
export interface RankOutcome {
  /** Indices into the batch, best first. */
  order: Uint32Array;
  scores: Float64Array;
  plan: Plan;
  /** With explain: each algorithm's score per candidate, in plan order. */
  algorithmScores?: Float64Array[];
}

export interface Work {
  /** Typed ranking (the Rank method). */
  rank?(batch: RankBatch, ctx: WorkContext): RankOutcome | Promise<RankOutcome>;
  /** lab_common_so's generic call: the parsed JSON body in, any JSON-serialisable value out. */
  call?(body: Record<string, unknown>, ctx: WorkContext): unknown;
}

/**
 * Candidates as struct-of-arrays, shared by every algorithm of a chain.
 * Algorithms write `scores`; filters clear `keep`.
 */
export interface CandidateBatch {
  readonly count: number;
  readonly userId: bigint;
  readonly itemIds: IdArray;
  readonly featureOffsets: Uint32Array;
  readonly featureIds: Uint32Array;
  readonly featureValues: Float32Array;
  readonly userFeatureIds: Uint32Array;
  readonly userFeatureValues: Float32Array;
  readonly scores: Float64Array;
  readonly keep: Uint8Array;
}

export interface Algorithm {
  readonly name: string;
  run(batch: CandidateBatch, global: GlobalTables): void;
}

/** An algorithm file's default export: builds an instance from its ini section. */
export interface AlgorithmModule {
  create(name: string, params: Readonly<Record<string, string>>): Algorithm;
}
