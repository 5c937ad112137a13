import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableKind, TableSpec } from '../../globaldb/table.js';
import { readGlobalDbConfig } from '../../src/config/global-db-config.js';
import { createTempDir, removeTempDir } from '../support/temp-dir.js';
import { expectOneProblemAt, loadedValue, readConfig } from './support/config-outcome.js';
import { fuzzParams } from './support/fuzz-budget.js';
import { type IniDoc, intText, renderIni, section, withEntry, withoutKey, withValue } from './support/ini-doc.js';
import { structuralMutation } from './support/ini-mutations.js';
import { loadedTable, loadHere } from './support/load-outcome.js';

/**
 * global_db_config.ini in lab_common_so's layout: random valid files (any
 * table names, kinds as numbers or words, separators as character codes)
 * read back as the tables they declare; one change that makes a file
 * invalid is refused with one problem at its section and key; and every
 * separator the config accepts is one the table loader can use.
 */

const INFO = 'GLOBAL_DB_INFO';
const KINDS: TableKind[] = ['set', 'map', 'kv', 'weights', 'gbdt'];

/** Character codes of separators the loader takes: ASCII, not a digit, '#', CR or LF. */
const LOADER_SEPARATORS = Array.from({ length: 127 }, (_, i) => i + 1).filter((c) => !(c >= 48 && c <= 57) && ![10, 13, 35].includes(c));

interface Table {
  name: string;
  kind: TableKind;
  kindText: string;
  file: string;
  separator?: number;
  id?: string;
  format?: string;
}

const splitChars = fc.constantFrom(',', ',', '|', ':', ' ', '/', '+');
const tableName = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,11}$/),
  fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'a.b.c', 'x-y', 'é表', 'BLACKLIST'),
);
const relPath = fc.stringMatching(/^[a-z0-9_][a-z0-9_./-]{0,20}$/);

const table = (name: string): fc.Arbitrary<Table> =>
  fc
    .record({
      kind: fc.constantFrom(...KINDS),
      asNumber: fc.boolean(),
      upper: fc.boolean(),
      file: relPath,
      separator: fc.option(fc.constantFrom(...LOADER_SEPARATORS), { nil: undefined }),
      id: fc.option(fc.nat({ max: 1000 }).chain(intText), { nil: undefined }),
      format: fc.option(fc.constantFrom('auto', 'text', 'binary', 'TEXT', 'Binary'), { nil: undefined }),
    })
    .map(({ kind, asNumber, upper, format, ...t }) => ({
      ...t,
      name,
      kind,
      kindText: asNumber ? String(KINDS.indexOf(kind) + 1) : upper ? kind.toUpperCase() : kind,
      format: kind === 'weights' ? format : undefined,
    }));

interface ValidFile {
  doc: IniDoc;
  split: string;
  tables: Table[];
}

const validFile: fc.Arbitrary<ValidFile> = splitChars.chain((split) =>
  fc
    .uniqueArray(tableName.filter((n) => !n.includes(split) && n !== INFO), { maxLength: 6 })
    .chain((names) => fc.tuple(fc.constant(split), fc.tuple(...names.map(table)), fc.boolean(), fc.constantFrom('', ' ', '  '), fc.boolean()))
    .chain(([s, tables, writeSplit, pad, emptyItem]) => {
      const listed = tables.map((t) => t.name).join(`${pad}${s}${pad}`) + (emptyItem && s !== ' ' ? `${s}${s}` : '');
      const info = section(INFO, [...(writeSplit || s !== ',' ? [['DBS_SPLIT_CHAR', String(s.charCodeAt(0))] as [string, string]] : []), ['DBS_NAME', listed]]);
      const sections = tables.map((t) =>
        section(t.name, [
          ['DB_TYPE', t.kindText],
          ['DB_FILE_NAME', t.file],
          ...(t.separator === undefined ? [] : [['KV_SPLIT_CHAR', String(t.separator)] as [string, string]]),
          ...(t.id === undefined ? [] : [['DB_ID', t.id] as [string, string]]),
          ...(t.format === undefined ? [] : [['FORMAT', t.format] as [string, string]]),
        ]),
      );
      return fc.shuffledSubarray([info, ...sections], { minLength: tables.length + 1 }).map((doc) => ({ doc, split: s, tables }));
    }),
);

function expectedSpecs(f: ValidFile, dir: string): TableSpec[] {
  return f.tables.map((t) => ({
    name: t.name,
    kind: t.kind,
    file: path.resolve(dir, t.file),
    separator: t.separator === undefined ? '\t' : String.fromCharCode(t.separator),
    format: (t.format?.toLowerCase() ?? 'auto') as TableSpec['format'],
  }));
}

let dir: string;
let file: string;
beforeAll(() => {
  dir = createTempDir('fuzz-global-db-config');
  file = path.join(dir, 'global_db_config.ini');
});
afterAll(() => removeTempDir(dir));

const read = (text: string) => {
  writeFileSync(file, text);
  return readConfig(() => readGlobalDbConfig(file, {}));
};

interface Mutation {
  what: string;
  doc: IniDoc;
  section: string | undefined;
  key?: string;
}

const badValues: Record<string, string[]> = {
  DB_TYPE: ['0', '6', 'list', 'sets', '-1', '1.0'],
  KV_SPLIT_CHAR: ['0', '48', '57', '10', '13', 'abc', '-1', '1114112', '35', '128', '200', '65279', '9.0'],
  DB_ID: ['-1', 'x', '1.5'],
};

function mutation(f: ValidFile): fc.Arbitrary<Mutation> {
  const options: fc.Arbitrary<Mutation>[] = [
    structuralMutation(f.doc),
    fc.constantFrom('0', 'x', '-1', '1114112').map((bad) => ({
      what: 'bad DBS_SPLIT_CHAR',
      doc: withValue(withValue(f.doc, INFO, 'DBS_SPLIT_CHAR', bad), INFO, 'DBS_NAME', f.tables.map((t) => t.name).join(',')),
      section: INFO,
      key: 'DBS_SPLIT_CHAR',
    })),
    tableName
      .filter((n) => !f.tables.some((t) => t.name === n) && !n.includes(f.split) && n !== INFO)
      .chain((name) =>
        fc.constantFrom<Mutation>(
          { what: 'listed, no section', doc: withValue(f.doc, INFO, 'DBS_NAME', [...f.tables.map((t) => t.name), name].join(f.split)), section: name },
          { what: 'a section not listed', doc: withEntry(f.doc, name, { key: 'DB_TYPE', value: '1' }), section: name },
        ),
      ),
  ];
  if (f.tables.length > 0) {
    const pick = fc.constantFrom(...f.tables);
    options.push(
      fc.tuple(pick, fc.constantFrom(...Object.keys(badValues))).chain(([t, key]) =>
        fc.constantFrom(...badValues[key]!).map((bad) => ({ what: `bad ${key}`, doc: withValue(f.doc, t.name, key, bad), section: t.name, key })),
      ),
      fc.tuple(pick, fc.constantFrom('DB_TYPE', 'DB_FILE_NAME')).map(([t, key]) => ({ what: `no ${key}`, doc: withoutKey(f.doc, t.name, key), section: t.name, key })),
      fc.tuple(pick, fc.constantFrom('DB_TPYE', 'SEPARATOR', 'db_type', 'FILE')).map(([t, key]) => ({
        what: 'unknown key',
        doc: withEntry(f.doc, t.name, { key, value: '1' }),
        section: t.name,
        key,
      })),
      pick.map((t) => ({
        what: 'listed twice',
        doc: withValue(f.doc, INFO, 'DBS_NAME', [...f.tables.map((x) => x.name), t.name].join(f.split)),
        section: INFO,
        key: 'DBS_NAME',
      })),
      fc.tuple(pick, fc.constantFrom('auto', 'json', 'TXT')).map(([t, format]) => ({
        what: 'FORMAT that is not a weights format, or on a table that is not weights',
        doc: withValue(f.doc, t.name, 'FORMAT', t.kind === 'weights' ? 'json' : format),
        section: t.name,
        key: 'FORMAT',
      })),
    );
  }
  return fc.oneof(...options);
}

describe('global_db_config.ini', () => {
  it('a valid file reads back as the tables it declares, in DBS_NAME order', () => {
    fc.assert(
      fc.property(validFile.chain((f) => fc.tuple(fc.constant(f), renderIni(f.doc))), ([f, text]) => {
        expect(loadedValue(read(text))).toEqual(expectedSpecs(f, dir));
      }),
      fuzzParams('global_db_config.ini: valid files load as written'),
    );
  });

  it('one change that makes it invalid is refused with one problem at its section and key', () => {
    fc.assert(
      fc.property(validFile.chain(mutation).chain((m) => fc.tuple(fc.constant(m), renderIni(m.doc))), ([m, text]) => {
        expectOneProblemAt(read(text), { file, section: m.section, key: m.key });
      }),
      fuzzParams('global_db_config.ini: mutations are refused where they are'),
    );
  });

  it('every KV_SPLIT_CHAR the config accepts is a separator the loader uses; the others are refused at that key', () => {
    const code = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(9, 35, 44, 127, 128, 0xfeff, 0x10ffff), fc.nat({ max: 0x10ffff }));
    const data = path.join(dir, 'data.map');
    fc.assert(
      fc.property(code, fc.constantFrom('map', 'kv'), (c, kind) => {
        const outcome = read(`[${INFO}]\nDBS_NAME = t\n[t]\nDB_TYPE = ${kind}\nDB_FILE_NAME = data.map\nKV_SPLIT_CHAR = ${c}\n`);
        if ('error' in outcome) {
          expectOneProblemAt(outcome, { file, section: 't', key: 'KV_SPLIT_CHAR' });
          return;
        }
        const [spec] = outcome.value;
        writeFileSync(data, `12${spec!.separator}34\n`);
        const t = loadedTable(loadHere(spec!));
        expect(t.kind === 'map' ? t.get(12) : t.kind === 'kv' ? t.getString(12) : undefined).toEqual(kind === 'map' ? 34 : '34');
      }),
      fuzzParams('global_db_config.ini: accepted separators work in the loader'),
    );
  });
});
