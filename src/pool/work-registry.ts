import type { AlgorithmSetSpec, WorkSpec } from '../config/work-spec.js';
import { importDefault } from './module-import.js';
import { PlanRule } from './plan-rule.js';
import type { Algorithm, AlgorithmModule, Work } from './work.js';

export interface LoadedWork {
  spec: WorkSpec;
  work: Work;
  algorithms: Record<string, Algorithm>;
  plans: PlanRule | undefined;
}

/** Imports every work and builds its algorithm instances, in the calling (pool) thread. */
export async function loadWorks(specs: readonly WorkSpec[]): Promise<Map<string, LoadedWork>> {
  const modules = new Map<string, Promise<unknown>>();
  const load = (file: string) => {
    let m = modules.get(file);
    if (m === undefined) modules.set(file, (m = importDefault(file)));
    return m;
  };
  const works = new Map<string, LoadedWork>();
  for (const spec of specs) {
    const work = await load(spec.module);
    if (!isWork(work)) throw new Error(`work "${spec.api}" (${spec.module}): the default export must be an object with a rank or call function`);
    const algorithms = spec.algorithms ? await createAlgorithms(spec.algorithms, load) : {};
    const plans = spec.algorithms ? new PlanRule(spec.algorithms.plans, algorithms) : undefined;
    works.set(spec.api, { spec, work, algorithms, plans });
  }
  return works;
}

async function createAlgorithms(
  set: AlgorithmSetSpec,
  load: (file: string) => Promise<unknown>,
): Promise<Record<string, Algorithm>> {
  const out: Record<string, Algorithm> = {};
  for (const a of set.algorithms) {
    const mod = await load(a.module);
    if (!isAlgorithmModule(mod)) throw new Error(`${set.file} [${a.name}]: ${a.module} must default-export an object with a create function`);
    try {
      out[a.name] = mod.create(a.name, a.params);
    } catch (e) {
      throw new Error(`${set.file} [${a.name}]: ${(e as Error).message}`);
    }
  }
  return out;
}

function isWork(v: unknown): v is Work {
  const w = v as Work;
  return typeof w === 'object' && w !== null && (typeof w.rank === 'function' || typeof w.call === 'function');
}

function isAlgorithmModule(v: unknown): v is AlgorithmModule {
  return typeof v === 'object' && v !== null && typeof (v as AlgorithmModule).create === 'function';
}
