import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkConfig } from '../../src/config/work-config.js';
import type { AlgorithmSetSpec, WorkSpec } from '../../src/config/work-spec.js';
import { packageRoot } from '../../src/package-root.js';
import { createTempDir, removeTempDir } from '../support/temp-dir.js';
import { expectOneProblemAt, loadedValue, readConfig } from './support/config-outcome.js';
import { fuzzParams } from './support/fuzz-budget.js';
import { type IniDoc, renderIni, section, withEntry, withoutKey, withValue } from './support/ini-doc.js';
import { structuralMutation } from './support/ini-mutations.js';

/**
 * work_config.ini and the alg/*.ini files it names: random valid configs
 * (works with modules and params, algorithm sections, plans in digit and
 * hash mode) read back as written; one change that makes either file
 * invalid is refused with one problem at its file, section and key.
 */

const INFO = 'WORK_INFO';
const WORK_MODULES = ['works/a.ts', './works/b.js', 'works/sub/c.mts'];
/** Algorithm modules as written in an alg file (which sits in alg/), and the files they name. */
const ALG_MODULES: Record<string, (dir: string) => string> = {
  lr: () => path.join(packageRoot, 'algorithms', 'lr.ts'),
  fm: () => path.join(packageRoot, 'algorithms', 'fm.ts'),
  gbdt: () => path.join(packageRoot, 'algorithms', 'gbdt.ts'),
  'custom.ts': (dir) => path.join(dir, 'alg', 'custom.ts'),
  '../alg/custom.ts': (dir) => path.join(dir, 'alg', 'custom.ts'),
};

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,9}$/);
const paramKey = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,10}$/);
const setName = fc.stringMatching(/^[a-z_]{1,10}$/);
const salt = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const value = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.:/-]{1,16}$/), fc.constant(''));

interface Plans {
  mode: 'digit' | 'hash' | undefined;
  buckets: number | undefined;
  whitelist: string | undefined;
  salt: string | undefined;
  whitelistChain: string[] | undefined;
  defaultChain: string[];
  bucketChains: { key: string; from: number; to: number; chain: string[] }[];
}

interface Alg {
  /** As ALG_CONFIG names it (relative to work_config.ini). */
  file: string;
  algorithms: { name: string; module: string; params: [string, string][] }[];
  plans: Plans;
}

interface Work {
  api: string;
  module: string;
  params: [string, string][];
  alg: Alg | undefined;
}

const chainOf = (names: string[]) => fc.shuffledSubarray(names, { minLength: 1, maxLength: Math.min(3, names.length) });

function plans(names: string[]): fc.Arbitrary<Plans> {
  return fc
    .record({
      mode: fc.constantFrom<Plans['mode']>(undefined, 'digit', 'hash'),
      hashBuckets: fc.option(fc.integer({ min: 1, max: 10000 }), { nil: undefined }),
      whitelist: fc.option(setName, { nil: undefined }),
      salt: fc.option(salt, { nil: undefined }),
      whitelistChain: fc.option(chainOf(names), { nil: undefined }),
      defaultChain: chainOf(names),
      ranges: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), chainOf(names)), { maxLength: 4 }),
    })
    .map((p) => {
      const buckets = p.mode === 'hash' ? p.hashBuckets : undefined;
      const count = buckets ?? 10;
      const seen = new Set<string>();
      const bucketChains = p.ranges.flatMap(([at, width, chain]) => {
        const from = at % count;
        const to = Math.min(count - 1, from + width);
        const key = from === to ? String(from) : `${from}-${to}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [{ key, from, to, chain }];
      });
      return {
        mode: p.mode,
        buckets,
        whitelist: p.whitelist,
        salt: p.salt,
        whitelistChain: p.whitelist === undefined ? undefined : p.whitelistChain,
        defaultChain: p.defaultChain,
        bucketChains,
      };
    });
}

const alg = (file: string): fc.Arbitrary<Alg> =>
  fc
    .uniqueArray(name.filter((n) => n !== 'plans'), { minLength: 1, maxLength: 4 })
    .chain((names) =>
      fc.record({
        file: fc.constant(file),
        algorithms: fc.tuple(
          ...names.map((n) =>
            fc.record({
              name: fc.constant(n),
              module: fc.constantFrom(...Object.keys(ALG_MODULES)),
              params: fc.uniqueArray(fc.tuple(paramKey.filter((k) => k !== 'module'), value), { maxLength: 3, selector: ([k]) => k }),
            }),
          ),
        ),
        plans: plans(names),
      }),
    );

const validWorks: fc.Arbitrary<Work[]> = fc.uniqueArray(name.filter((n) => n !== 'work_info'), { minLength: 1, maxLength: 4 }).chain((apis) =>
  fc.tuple(
    ...apis.map((api) =>
      fc.record({
        api: fc.constant(api),
        module: fc.constantFrom(...WORK_MODULES),
        params: fc.uniqueArray(fc.tuple(paramKey, value), { maxLength: 4, selector: ([k]) => k }),
        alg: fc.option(alg(`alg/${api}.ini`), { nil: undefined }),
      }),
    ),
  ),
);

function workDoc(works: Work[], listed = works.map((w) => w.api).join(', ')): IniDoc {
  return [
    section(INFO, [['WORKS', listed]]),
    ...works.map((w) =>
      section(w.api, [['MODULE', w.module], ...(w.alg ? [['ALG_CONFIG', w.alg.file] as [string, string]] : []), ...w.params]),
    ),
  ];
}

function algDoc(a: Alg): IniDoc {
  const p = a.plans;
  const own: [string, string][] = [
    ...(p.mode === undefined ? [] : [['mode', p.mode] as [string, string]]),
    ...(p.buckets === undefined ? [] : [['buckets', String(p.buckets)] as [string, string]]),
    ...(p.whitelist === undefined ? [] : [['whitelist', p.whitelist] as [string, string]]),
    ...(p.salt === undefined ? [] : [['salt', p.salt] as [string, string]]),
    ...(p.whitelistChain === undefined ? [] : [['-2', p.whitelistChain.join(', ')] as [string, string]]),
    ['-1', p.defaultChain.join(',')],
    ...p.bucketChains.map((b): [string, string] => [b.key, b.chain.join(' , ')]),
  ];
  return [section('plans', own), ...a.algorithms.map((x) => section(x.name, [['module', x.module], ...x.params]))];
}

function expectedSpecs(works: Work[], dir: string): WorkSpec[] {
  return works.map((w) => ({ api: w.api, module: path.resolve(dir, w.module), params: Object.fromEntries(w.params), algorithms: w.alg && expectedAlg(w.alg, dir) }));
}

function expectedAlg(a: Alg, dir: string): AlgorithmSetSpec {
  const p = a.plans;
  return {
    file: path.resolve(dir, a.file),
    plans: {
      mode: p.mode ?? 'digit',
      whitelist: p.whitelist,
      salt: p.salt ?? '',
      buckets: p.buckets ?? 10,
      whitelistChain: p.whitelistChain,
      defaultChain: p.defaultChain,
      bucketChains: p.bucketChains.map(({ from, to, chain }) => ({ from, to, chain })),
    },
    algorithms: a.algorithms.map((x) => ({ name: x.name, module: ALG_MODULES[x.module]!(dir), params: Object.fromEntries(x.params) })),
  };
}

let dir: string;
let file: string;
beforeAll(() => {
  dir = createTempDir('fuzz-work-config');
  file = path.join(dir, 'work_config.ini');
  mkdirSync(path.join(dir, 'works', 'sub'), { recursive: true });
  mkdirSync(path.join(dir, 'alg'), { recursive: true });
  for (const m of [...WORK_MODULES, 'alg/custom.ts']) writeFileSync(path.join(dir, m), 'export default {};\n');
});
afterAll(() => removeTempDir(dir));

/** The files of a case: work_config.ini and alg files, as docs keyed by their path relative to dir. */
type Files = Map<string, IniDoc>;

function files(works: Work[], main = workDoc(works)): Files {
  return new Map([['work_config.ini', main], ...works.flatMap((w) => (w.alg ? [[w.alg.file, algDoc(w.alg)] as [string, IniDoc]] : []))]);
}

const rendered = (f: Files): fc.Arbitrary<[string, string][]> =>
  fc.tuple(...[...f].map(([rel, doc]) => renderIni(doc).map((text): [string, string] => [rel, text])));

function read(texts: [string, string][]) {
  for (const [rel, text] of texts) writeFileSync(path.join(dir, rel), text);
  return readConfig(() => readWorkConfig(file, {}));
}

interface Mutation {
  what: string;
  files: Files;
  /** Relative path of the file the problem is in. */
  in: string;
  section: string | undefined;
  key?: string;
}

function mutation(works: Work[]): fc.Arbitrary<Mutation> {
  const base = files(works);
  const main = base.get('work_config.ini')!;
  const change = (what: string, rel: string, doc: IniDoc, section: string | undefined, key?: string): Mutation => ({
    what,
    files: new Map([...base, [rel, doc]]),
    in: rel,
    section,
    key,
  });
  const fresh = name.filter((n) => n !== 'work_info' && !works.some((w) => w.api === n));
  const options: fc.Arbitrary<Mutation>[] = [
    structuralMutation(main).map((m) => change(m.what, 'work_config.ini', m.doc, m.section, m.key)),
    fresh.map((api) => change('listed, no section', 'work_config.ini', withValue(main, INFO, 'WORKS', [...works.map((w) => w.api), api].join(',')), INFO, 'WORKS')),
    fresh.map((api) => change('a section not listed', 'work_config.ini', withEntry(main, api, { key: 'MODULE', value: WORK_MODULES[0]! }), api)),
  ];
  if (works.length > 0) {
    const work = fc.constantFrom(...works);
    options.push(
      work.map((w) => change('MODULE names no file', 'work_config.ini', withValue(main, w.api, 'MODULE', 'works/missing.ts'), w.api, 'MODULE')),
      work.map((w) => change('no MODULE', 'work_config.ini', withoutKey(main, w.api, 'MODULE'), w.api, 'MODULE')),
      work.map((w) => change('ALG_CONFIG names no file', 'work_config.ini', withValue(main, w.api, 'ALG_CONFIG', 'alg/none/missing.ini'), w.api, 'ALG_CONFIG')),
      fc.tuple(work, fc.constantFrom('MODUEL', 'ALG', 'PARAMS')).map(([w, key]) => change('unknown key', 'work_config.ini', withEntry(main, w.api, { key, value: 'x' }), w.api, key)),
    );
  }
  const withAlg = works.filter((w) => w.alg !== undefined);
  if (withAlg.length > 0) {
    options.push(fc.constantFrom(...withAlg).chain((w) => algMutation(w.alg!).map((m) => change(m.what, w.alg!.file, m.doc, m.section, m.key))));
  }
  return fc.oneof(...options);
}

type DocMutation = { what: string; doc: IniDoc; section: string | undefined; key?: string };

function algMutation(a: Alg): fc.Arbitrary<DocMutation> {
  const doc = algDoc(a);
  const p = a.plans;
  const count = p.buckets ?? 10;
  const names = a.algorithms.map((x) => x.name);
  const algorithm = fc.constantFrom(...names);
  const options: fc.Arbitrary<DocMutation>[] = [
    structuralMutation(doc),
    name.filter((n) => !names.includes(n)).map((n) => ({ what: 'a chain naming no algorithm', doc: withValue(doc, 'plans', '-1', `${names[0]}, ${n}`), section: 'plans', key: '-1' })),
    fc.constant({ what: 'no default plan', doc: withoutKey(doc, 'plans', '-1'), section: 'plans', key: '-1' }),
    fc.constant({ what: 'no [plans]', doc: doc.filter((s) => s.name !== 'plans'), section: 'plans' }),
    fc.constantFrom(`${count}`, `0-${count}`, `${count + 3}-${count + 5}`, '3-1').map((key) => ({
      what: 'a bucket range outside the buckets',
      doc: withEntry(doc, 'plans', { key, value: names[0]! }),
      section: 'plans',
      key,
    })),
    fc.constantFrom('modes', 'bucket', 'white_list').map((key) => ({ what: 'unknown plans key', doc: withEntry(doc, 'plans', { key, value: 'x' }), section: 'plans', key })),
    fc.constantFrom('random', 'digits').map((mode) => ({ what: 'bad mode', doc: withValue(doc, 'plans', 'mode', mode), section: 'plans', key: 'mode' })),
    fc.tuple(algorithm, fc.constantFrom('lrr', 'nope.ts', '../alg/missing.ts')).map(([n, module]) => ({
      what: 'an algorithm module that does not exist',
      doc: withValue(doc, n, 'module', module),
      section: n,
      key: 'module',
    })),
    algorithm.map((n) => ({ what: 'an algorithm without module', doc: withoutKey(doc, n, 'module'), section: n, key: 'module' })),
  ];
  if (p.whitelist !== undefined && p.whitelistChain !== undefined) {
    options.push(fc.constant({ what: 'plan -2 without whitelist', doc: withoutKey(doc, 'plans', 'whitelist'), section: 'plans', key: 'whitelist' }));
  }
  if (p.mode !== 'hash') {
    options.push(fc.constantFrom('7', '100').map((b) => ({ what: 'digit mode with buckets', doc: withValue(doc, 'plans', 'buckets', b), section: 'plans', key: 'buckets' })));
  } else if (p.bucketChains.every((b) => b.to < 10)) {
    options.push(fc.constantFrom('0', '10001', 'x').map((b) => ({ what: 'bad buckets', doc: withValue(doc, 'plans', 'buckets', b), section: 'plans', key: 'buckets' })));
  }
  return fc.oneof(...options);
}

describe('work_config.ini and alg/*.ini', () => {
  it('a valid config reads back as written', () => {
    fc.assert(
      fc.property(validWorks.chain((w) => fc.tuple(fc.constant(w), rendered(files(w)))), ([works, texts]) => {
        expect(loadedValue(read(texts))).toEqual(expectedSpecs(works, dir));
      }),
      fuzzParams('work_config.ini: valid files load as written'),
    );
  });

  it('one change that makes either file invalid is refused with one problem at its file, section and key', () => {
    fc.assert(
      fc.property(
        validWorks.chain(mutation).chain((m) => fc.tuple(fc.constant(m), rendered(m.files))),
        ([m, texts]) => {
          expectOneProblemAt(read(texts), { file: path.join(dir, m.in), section: m.section, key: m.key });
        },
      ),
      fuzzParams('work_config.ini: mutations are refused where they are'),
    );
  });
});
