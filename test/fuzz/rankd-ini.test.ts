import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdIni, readRankdIni } from '../../src/config/rankd-ini.js';
import { createTempDir, removeTempDir } from '../support/temp-dir.js';
import { expectOneProblemAt, loadedValue, readConfig } from './support/config-outcome.js';
import { fuzzParams } from './support/fuzz-budget.js';
import { type IniDoc, intText, renderIni, section, withEntry, withValue } from './support/ini-doc.js';
import { structuralMutation } from './support/ini-mutations.js';

/**
 * rankd.ini: a random valid file (any subset of keys, in any order and
 * spelling) reads back as written, defaults elsewhere; one change that makes
 * it invalid is refused with exactly one problem, at its section and key.
 */

interface KeySpec {
  section: keyof Omit<RankdIni, 'file'>;
  key: string;
  property: string;
  /** Text to write and the value it must read as (given the file's folder). */
  valid: fc.Arbitrary<[string, (dir: string) => unknown]>;
  bad?: fc.Arbitrary<string>;
}

const same = (text: string): [string, () => unknown] => [text, () => text];
const word = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/).map(same);
const token = fc.stringMatching(/^[A-Za-z0-9_.~+/-]{1,30}$/).map(same);
const relPath = fc.stringMatching(/^[a-z0-9_][a-z0-9_./-]{0,20}$/).map((p): [string, (dir: string) => unknown] => [p, (dir) => path.resolve(dir, p)]);
const int = (min: number, max: number, map: (n: number) => unknown = (n) => n) =>
  fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max)).chain((n) => intText(n).map((text): [string, () => unknown] => [text, () => map(n)]));
const decimal = (min: number, max: number) =>
  fc.oneof(fc.double({ min, max, noNaN: true }).map(String), fc.constantFrom(String(min), String(max), `${max}.0`, `0${max}`)).map((t): [string, () => unknown] => [t, () => Number(t)]);
const url = fc.stringMatching(/^http:\/\/[a-z0-9.]{1,10}:[0-9]{1,5}$/);
const urls = fc
  .tuple(fc.array(url, { minLength: 1, maxLength: 3 }), fc.constantFrom(',', ', ', ' , '))
  .map(([list, sep]): [string, () => unknown] => [list.join(sep), () => list]);
const level = fc
  .tuple(fc.constantFrom('trace', 'debug', 'info', 'warn', 'error'), fc.boolean())
  .map(([l, upper]): [string, () => unknown] => [upper ? l.toUpperCase() : l, () => l]);

const someKey = fc.oneof(fc.stringMatching(/^[a-z][a-z_]{0,12}$/), fc.constantFrom('query_prot', 'Host', 'threads ', 'port'));
const someSection = fc.oneof(fc.stringMatching(/^[a-z][a-z_]{0,9}$/), fc.constantFrom('Server', 'POOL', 'servers', 'global_db', 'a.b'));
const notInt = ['abc', '1.5', '80x', '0x50', '1e3', '99999999999999999999', '- 1'];
const bad = (...texts: string[]) => fc.constantFrom(...texts);

const KEYS: KeySpec[] = [
  { section: 'server', key: 'host', property: 'host', valid: word },
  { section: 'server', key: 'query_port', property: 'queryPort', valid: int(1, 65535), bad: bad('0', '65536', '-1', ...notInt) },
  { section: 'server', key: 'control_host', property: 'controlHost', valid: word },
  { section: 'server', key: 'control_port', property: 'controlPort', valid: int(1, 65535), bad: bad('0', '70000', ...notInt) },
  { section: 'server', key: 'control_token', property: 'controlToken', valid: token },
  { section: 'server', key: 'deadline_ms', property: 'deadlineMs', valid: int(1, 2 ** 40), bad: bad('0', '-5', '1s', ...notInt) },
  { section: 'server', key: 'max_candidates', property: 'maxCandidates', valid: int(1, Number.MAX_SAFE_INTEGER), bad: bad('0', '9007199254740993', ...notInt) },
  { section: 'server', key: 'max_message_bytes', property: 'maxMessageBytes', valid: int(1024, 2 ** 31 - 1), bad: bad('1023', '2147483648', ...notInt) },
  { section: 'pool', key: 'threads', property: 'threads', valid: int(0, 1024, (n) => n || availableParallelism()), bad: bad('1025', '-1', 'many') },
  { section: 'pool', key: 'queue_size', property: 'queueSize', valid: int(0, 2 ** 31), bad: bad('-1', ...notInt) },
  { section: 'pool', key: 'tasks_per_thread', property: 'tasksPerThread', valid: int(1, 1024), bad: bad('0', '1025', ...notInt) },
  { section: 'pool', key: 'batch_max', property: 'batchMax', valid: int(1, 1024), bad: bad('0', '1025', ...notInt) },
  { section: 'pool', key: 'nice', property: 'nice', valid: int(0, 19), bad: bad('-1', '20', ...notInt) },
  { section: 'globaldb', key: 'config', property: 'config', valid: relPath },
  { section: 'globaldb', key: 'grace_ms', property: 'graceMs', valid: int(0, 2 ** 40), bad: bad('-1', '2.5', ...notInt) },
  { section: 'globaldb', key: 'max_shrink', property: 'maxShrink', valid: decimal(0, 1), bad: bad('1.5', '-0.1', 'half', 'NaN', '1e', '.', '2') },
  { section: 'works', key: 'config', property: 'config', valid: relPath },
  { section: 'log', key: 'level', property: 'level', valid: level, bad: bad('verbose', 'warning', 'fatal', '3') },
  { section: 'remote', key: 'config', property: 'config', valid: relPath },
  { section: 'discovery', key: 'etcd', property: 'etcd', valid: urls },
  { section: 'discovery', key: 'prefix', property: 'prefix', valid: word },
  { section: 'discovery', key: 'env', property: 'env', valid: word },
  { section: 'discovery', key: 'service', property: 'service', valid: word },
  { section: 'discovery', key: 'advertise_host', property: 'advertiseHost', valid: word },
  { section: 'discovery', key: 'ttl_s', property: 'ttlS', valid: int(1, 3600), bad: bad('0', '3601', ...notInt) },
  { section: 'discovery', key: 'drain_ms', property: 'drainMs', valid: int(0, 2 ** 40), bad: bad('-1', ...notInt) },
  { section: 'discovery', key: 'weight', property: 'weight', valid: decimal(0.01, 1000), bad: bad('0', '1001', 'heavy', '0.001') },
  { section: 'discovery', key: 'zone', property: 'zone', valid: word },
];
const SECTIONS: string[] = [...new Set(KEYS.map((k) => k.section))];
const ETCD = KEYS.find((k) => k.key === 'etcd')!;

interface ValidFile {
  doc: IniDoc;
  expect: (dir: string) => Record<string, Record<string, unknown>>;
}

/** Any subset of the keys with valid values, sections and keys in any order; etcd whenever [discovery] has other keys. */
const validFile: fc.Arbitrary<ValidFile> = fc
  .tuple(fc.shuffledSubarray(KEYS), fc.shuffledSubarray(SECTIONS))
  .chain(([keys, emptySections]) => {
    const chosen = keys.some((k) => k.section === 'discovery') && !keys.includes(ETCD) ? [...keys, ETCD] : keys;
    return fc.tuple(fc.constant(chosen), fc.tuple(...chosen.map((k) => k.valid)), fc.constant(emptySections));
  })
  .map(([keys, values, emptySections]) => {
    const order = [...new Set([...keys.map((k) => k.section), ...emptySections])];
    const doc = order.map((name) => section(name, keys.flatMap((k, i) => (k.section === name ? [[k.key, values[i]![0]] as [string, string]] : []))));
    return {
      doc,
      expect: (dir: string) => {
        const written: Record<string, Record<string, unknown>> = {};
        keys.forEach((k, i) => ((written[k.section] ??= {})[k.property] = values[i]![1](dir)));
        return written;
      },
    };
  });

let dir: string;
let file: string;
let defaults: RankdIni;
let discoveryDefaults: NonNullable<RankdIni['discovery']>;
/** Every section and key the reader knows, taken from what it reads (so keys added later count as known). */
let known: Map<string, string[]>;

beforeAll(() => {
  dir = createTempDir('fuzz-rankd-ini');
  file = path.join(dir, 'rankd.ini');
  writeFileSync(file, '');
  defaults = readRankdIni(file, {});
  writeFileSync(file, '[discovery]\netcd = http://e:1\n');
  discoveryDefaults = readRankdIni(file, {}).discovery!;
  const sections = { ...defaults, discovery: discoveryDefaults } as Record<string, unknown>;
  known = new Map(
    Object.entries(sections)
      .filter(([name]) => name !== 'file')
      .map(([name, values]) => [name, Object.keys(values as object).map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))]),
  );
});
afterAll(() => removeTempDir(dir));

const read = (text: string) => {
  writeFileSync(file, text);
  return readConfig(() => readRankdIni(file, {}));
};

describe('rankd.ini', () => {
  it('a valid file reads back as written, with defaults for what it leaves out', () => {
    fc.assert(
      fc.property(validFile.chain((f) => fc.tuple(fc.constant(f), renderIni(f.doc))), ([f, text]) => {
        const written = f.expect(dir);
        const { discovery, ...rest } = written;
        const expected: Record<string, unknown> = { ...defaults };
        for (const [name, values] of Object.entries(rest)) expected[name] = { ...(defaults[name as keyof RankdIni] as object), ...values };
        expected.discovery = discovery === undefined ? undefined : { ...discoveryDefaults, ...discovery };
        expect(loadedValue(read(text))).toEqual(expected);
      }),
      fuzzParams('rankd.ini: valid files load as written'),
    );
  });

  it('one change that makes it invalid is refused with one problem at its section and key', () => {
    const withBadValue = (f: ValidFile) =>
      fc.constantFrom(...KEYS.filter((k) => k.bad !== undefined)).chain((k) =>
        k.bad!.map((text) => {
          let doc = withValue(f.doc, k.section, k.key, text);
          // Other [discovery] keys need etcd, or that is a second problem.
          if (k.section === 'discovery' && !doc.some((s) => s.name === 'discovery' && s.entries.some((e) => 'key' in e && e.key === 'etcd'))) {
            doc = withEntry(doc, 'discovery', { key: 'etcd', value: 'http://e:1' });
          }
          return { what: `bad ${k.key}`, doc, section: k.section as string | undefined, key: k.key as string | undefined };
        }),
      );
    const withUnknownKey = (f: ValidFile) =>
      fc
        .tuple(fc.constantFrom(...SECTIONS.filter((s) => s !== 'discovery')), someKey)
        .filter(([name, key]) => !known.get(name)!.includes(key.trim()))
        .map(([name, key]) => ({ what: 'unknown key', doc: withEntry(f.doc, name, { key, value: '1' }), section: name as string | undefined, key: key.trim() as string | undefined }));
    const withUnknownSection = (f: ValidFile) =>
      someSection
        .filter((name) => !known.has(name))
        .map((name) => ({ what: 'unknown section', doc: withEntry(f.doc, name, { key: 'threads', value: '1' }), section: name as string | undefined, key: undefined }));
    const withDiscoveryButNoEtcd = (f: ValidFile) =>
      fc.constantFrom(...KEYS.filter((k) => k.section === 'discovery' && k !== ETCD)).chain((k) =>
        k.valid.map(([text]) => {
          const doc = f.doc.filter((s) => s.name !== 'discovery');
          return { what: 'discovery without etcd', doc: [...doc, section('discovery', [[k.key, text]])], section: 'discovery' as string | undefined, key: 'etcd' as string | undefined };
        }),
      );
    const mutation = validFile
      .filter((f) => f.doc.length > 0)
      .chain((f) => fc.oneof(structuralMutation(f.doc), withBadValue(f), withUnknownKey(f), withUnknownSection(f), withDiscoveryButNoEtcd(f)))
      .chain((m) => fc.tuple(fc.constant(m), renderIni(m.doc)));
    fc.assert(
      fc.property(mutation, ([m, text]) => {
        expectOneProblemAt(read(text), { file, section: m.section, key: m.key });
      }),
      fuzzParams('rankd.ini: mutations are refused where they are'),
    );
  });
});
