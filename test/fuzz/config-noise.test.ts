import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDbConfig } from '../../src/config/db-config.js';
import { readGlobalDbConfig } from '../../src/config/global-db-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { readRankdIni } from '../../src/config/rankd-ini.js';
import { readWorkConfig } from '../../src/config/work-config.js';
import { copyConfig } from '../support/rankd-fixture.js';
import { type ConfigOutcome, expectWellFormedRefusal, readConfig } from './support/config-outcome.js';
import { fuzzParams } from './support/fuzz-budget.js';
import { type NoisyText, noiseLines, type Vocabulary, withNoise } from './support/ini-noise.js';

/**
 * Line noise in every config file of the shipped deployment: each loader
 * either loads or throws a ConfigError whose every problem names a file of
 * the deployment and says what is wrong — never another exception. Then
 * loadConfig over a whole folder whose files each carry noise or not.
 */

/** The ini files of config/, and the loader that reads each (alg/rank.ini is read through work_config.ini). */
const FILES = ['rankd.ini', 'global_db_config.ini', 'work_config.ini', 'db_config.ini', 'alg/rank.ini'] as const;
type IniName = (typeof FILES)[number];

let root: string;
let configDir: string;
const originals = new Map<IniName, string>();
/** Per file: a whole file of noise, and the shipped file with (or without) noise. */
const noise = new Map<IniName, { lines: fc.Arbitrary<NoisyText>; added: fc.Arbitrary<NoisyText> }>();

const at = (name: IniName) => path.join(configDir, name);
const LOADERS: Record<IniName, () => unknown> = {
  'rankd.ini': () => readRankdIni(at('rankd.ini'), {}),
  'global_db_config.ini': () => readGlobalDbConfig(at('global_db_config.ini'), {}),
  'work_config.ini': () => readWorkConfig(at('work_config.ini'), {}),
  'db_config.ini': () => readDbConfig(at('db_config.ini'), {}),
  'alg/rank.ini': () => readWorkConfig(at('work_config.ini'), {}),
};

/** The headers, keys (commented-out ones too) and values a shipped file uses. */
function vocabularyOf(text: string): Vocabulary {
  const lines = text.split('\n');
  const sections = lines.flatMap((l) => /^\[([^\]]+)\]/.exec(l)?.[1] ?? []);
  const pairs = lines.flatMap((l) => {
    const m = /^;?\s*([A-Za-z0-9_-]+)\s*=\s*(.*)$/.exec(l);
    return m ? [[m[1]!, m[2]!.trim()] as const] : [];
  });
  return { sections, keys: pairs.map((p) => p[0]), values: pairs.map((p) => p[1]) };
}

beforeAll(() => {
  ({ root, configDir } = copyConfig());
  for (const name of FILES) {
    const text = readFileSync(at(name), 'utf8');
    const vocabulary = vocabularyOf(text);
    originals.set(name, text);
    noise.set(name, { lines: noiseLines(vocabulary), added: withNoise(text, vocabulary) });
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeAll(texts: Partial<Record<IniName, NoisyText>>): void {
  for (const name of FILES) writeFileSync(at(name), texts[name]?.text ?? originals.get(name)!);
}

/** Loaded, or refused with problems in files of the deployment (or, for a file it names that is not there, that file: "cannot read"). */
function expectLoadsOrLocated(outcome: ConfigOutcome<unknown>): boolean {
  if ('value' in outcome) return true;
  const problems = expectWellFormedRefusal(outcome, () => true);
  for (const p of problems) {
    const inside = p.file.startsWith(configDir + path.sep);
    expect(inside || p.message.startsWith('cannot read'), `${p.file}: ${p.message}`).toBe(true);
  }
  return false;
}

describe('config files with line noise', () => {
  it('every loader loads, or refuses with problems that name the file', () => {
    const file = fc.constantFrom(...FILES);
    const cases = file.chain((name) => fc.tuple(fc.constant(name), fc.oneof(noise.get(name)!.lines, noise.get(name)!.added)));
    let loaded = 0;
    fc.assert(
      fc.property(cases, ([name, text]) => {
        writeAll({ [name]: text });
        if (expectLoadsOrLocated(readConfig(LOADERS[name]))) loaded++;
      }),
      fuzzParams('config noise: every loader loads or names the file'),
    );
    const { numRuns } = fuzzParams('config noise: every loader loads or names the file');
    expect(loaded).toBeGreaterThan(numRuns / 10);
    expect(loaded).toBeLessThan(numRuns * 0.9);
  });

  it('loadConfig over a folder whose files each may carry noise', () => {
    const texts = fc.record(Object.fromEntries(FILES.map((name) => [name, noise.get(name)!.added])) as Record<IniName, fc.Arbitrary<NoisyText>>);
    fc.assert(
      fc.property(texts, (t) => {
        writeAll(t);
        expectLoadsOrLocated(readConfig(() => loadConfig(configDir, { env: {} })));
      }),
      fuzzParams('config noise: loadConfig over a whole folder'),
    );
  });
});
