/** Works and algorithms as the pool threads need them (parsed from work_config.ini and alg/*.ini). */

export interface WorkSpec {
  api: string;
  /** Absolute path of the work module (.ts or .js). */
  module: string;
  /** Work-specific keys of its section. */
  params: Record<string, string>;
  algorithms: AlgorithmSetSpec | undefined;
}

export interface AlgorithmSetSpec {
  /** The alg/*.ini file, for messages. */
  file: string;
  plans: PlanSpec;
  algorithms: AlgorithmSpec[];
}

export interface AlgorithmSpec {
  /** Section name: how plans and works refer to it. */
  name: string;
  /** A built-in name (lr…) or an absolute module path. */
  module: string;
  params: Record<string, string>;
}

export interface PlanSpec {
  /** digit: lab_common_so's (uid/10)%10; hash: murmur3(salt + uid) % buckets. */
  mode: 'digit' | 'hash';
  /** Global set of user ids served by plan "-2". */
  whitelist: string | undefined;
  salt: string;
  buckets: number;
  /** Chain (algorithm section names) per plan code: "-2", "-1" and bucket ranges. */
  whitelistChain: string[] | undefined;
  defaultChain: string[];
  bucketChains: { from: number; to: number; chain: string[] }[];
}
