/**
 * work_config.ini: which work serves each api.
 *
 *   [WORK_INFO]
 *   WORKS = example, rank
 *
 *   [rank]
 *   MODULE = ../workers/rank.ts      ; the work file (relative to this file)
 *   ALG_CONFIG = alg/rank.ini         ; optional: its algorithms and plans
 *   blacklist = blacklist             ; lower-case keys are the work's own (ctx.params)
 *
 * Upper-case keys are rankd's and checked; lower-case keys go to the work.
 */
import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { packageRoot } from '../package-root.js';
import { ProblemList } from './config-error.js';
import { type IniFile, readIniFile } from './ini-file.js';
import { readPlans } from './plan-config.js';
import { Field, list, path, readSection, reportUnknownSections, type ReadContext } from './schema.js';
import type { AlgorithmSetSpec, AlgorithmSpec, WorkSpec } from './work-spec.js';

const workInfo = { works: list().key('WORKS') };
const workSection = { module: path().key('MODULE'), algConfig: path().optional().key('ALG_CONFIG') };
const algorithmSection = { module: modulePath().key('module') };

export function readWorkConfig(file: string, env: NodeJS.ProcessEnv = process.env): WorkSpec[] {
  const problems = new ProblemList();
  const ini = readIniFile(file, problems);
  problems.throwIfAny();
  const context: ReadContext = { ini: ini!, env, problems };
  const { works } = readSection(context, 'WORK_INFO', workInfo);
  reportUnknownSections(context, ['WORK_INFO', ...(works ?? [])]);
  const specs: WorkSpec[] = [];
  for (const api of works ?? []) {
    if (!ini!.sections.has(api)) {
      problems.add({ file: ini!.file, section: 'WORK_INFO', key: 'WORKS', message: `lists "${api}" but there is no [${api}] section` });
      continue;
    }
    const { own, params } = splitKeys(ini!, api, (key) => key !== key.toUpperCase());
    const fields = readSection({ ...context, ini: own }, api, workSection);
    if (fields.module !== undefined && !existsSync(fields.module)) {
      problems.add({ file: ini!.file, section: api, key: 'MODULE', message: `no such file: ${fields.module}` });
    }
    // Like MODULE: a missing file is a problem at this key (reading it would throw, naming only the missing path).
    if (fields.algConfig !== undefined && !existsSync(fields.algConfig)) {
      problems.add({ file: ini!.file, section: api, key: 'ALG_CONFIG', message: `no such file: ${fields.algConfig}` });
    }
    const algorithms =
      fields.algConfig === undefined || !existsSync(fields.algConfig) ? undefined : readAlgorithmConfig(fields.algConfig, env, problems);
    specs.push({ api, module: fields.module, params, algorithms });
  }
  problems.throwIfAny();
  return specs;
}

/**
 * alg/*.ini: a [plans] section (see plan-config.ts) and one section per
 * algorithm instance: `module` (a built-in name such as lr, or a file) plus
 * the algorithm's own keys.
 */
export function readAlgorithmConfig(file: string, env: NodeJS.ProcessEnv, problems: ProblemList): AlgorithmSetSpec | undefined {
  const ini = readIniFile(file, problems);
  if (ini === undefined) return undefined;
  const context: ReadContext = { ini, env, problems };
  const algorithms: AlgorithmSpec[] = [];
  for (const name of ini.sections.keys()) {
    if (name === 'plans') continue;
    const { own, params } = splitKeys(ini, name, (key) => key !== 'module');
    const { module } = readSection({ ...context, ini: own }, name, algorithmSection);
    // Found now, not when a pool thread fails to import it with no word of this file.
    if (module !== undefined && !existsSync(module)) {
      problems.add({ file: ini.file, section: name, key: 'module', message: `no built-in algorithm or file of that name: ${module}` });
    }
    algorithms.push({ name, module, params });
  }
  const plans = readPlans(context, algorithms.map((a) => a.name));
  return { file: ini.file, plans, algorithms };
}

/** A section's keys split into those the schema checks and the plug-in's own. */
function splitKeys(ini: IniFile, section: string, isParam: (key: string) => boolean): { own: IniFile; params: Record<string, string> } {
  const own = new Map<string, string>();
  const params: Record<string, string> = {};
  for (const [key, value] of ini.sections.get(section) ?? []) {
    if (isParam(key)) params[key] = value;
    else own.set(key, value);
  }
  return { own: { ...ini, sections: new Map([[section, own]]) }, params };
}

/** A built-in algorithm name (lr, fm, gbdt…) or a module file relative to the ini file. */
function modulePath(): Field<string> {
  return new Field('a built-in algorithm name (e.g. lr) or a module file', (raw, dir) => {
    const builtin = join(packageRoot, 'algorithms', `${raw}.ts`);
    return extname(raw) === '' && !raw.includes('/') && existsSync(builtin) ? builtin : resolve(dir, raw);
  });
}
