import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { readGlobalDbConfig } from '../../src/config/global-db-config.js';
import { useTempConfigDir } from './write-ini.js';

const { dir, write } = useTempConfigDir();

function problemsOf(file: string): string[] {
  try {
    readGlobalDbConfig(file, {});
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n').map((line) => line.replace(`${file} `, ''));
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('global_db_config.ini', () => {
  it("loads lab_common_so's own sample as it is (DBS_SPLIT_CHAR, DB_ID, paths up a folder)", () => {
    const file = write(
      'conf/global_db_config.ini',
      '[GLOBAL_DB_INFO]',
      'DBS_SPLIT_CHAR=44',
      'DBS_NAME=EXAMPLE_SET_DB,EXAMPLE_KV_DB',
      '',
      '[EXAMPLE_SET_DB]',
      'DB_ID=0',
      'DB_TYPE=1',
      'DB_FILE_NAME=../data/example_set',
      'KV_SPLIT_CHAR=9',
      '',
      '[EXAMPLE_KV_DB]',
      'DB_ID=1',
      'DB_TYPE=2',
      'DB_FILE_NAME=../data/example_kv',
      'KV_SPLIT_CHAR=44',
    );
    expect(readGlobalDbConfig(file, {})).toEqual([
      { name: 'EXAMPLE_SET_DB', kind: 'set', file: join(dir(), 'data/example_set'), separator: '\t', format: 'auto' },
      { name: 'EXAMPLE_KV_DB', kind: 'map', file: join(dir(), 'data/example_kv'), separator: ',', format: 'auto' },
    ]);
  });

  it('loads a file saved on Windows: a UTF-8 byte order mark and CRLF line ends', () => {
    const file = write(
      'global_db_config.ini',
      '\uFEFF[GLOBAL_DB_INFO]\r',
      'DBS_NAME=EXAMPLE_SET_DB\r',
      '[EXAMPLE_SET_DB]\r',
      'DB_TYPE=1\r',
      'DB_FILE_NAME=data/example_set\r',
    );
    expect(readGlobalDbConfig(file, {})).toEqual([
      { name: 'EXAMPLE_SET_DB', kind: 'set', file: join(dir(), 'data/example_set'), separator: '\t', format: 'auto' },
    ]);
  });

  it('takes kv and weights tables, type words, FORMAT for weights, a tab by default and another DBS_SPLIT_CHAR', () => {
    const file = write(
      'global_db_config.ini',
      '[GLOBAL_DB_INFO]',
      'DBS_SPLIT_CHAR=124',
      'DBS_NAME= info | model ',
      '[model]',
      'DB_TYPE=weights',
      'DB_FILE_NAME=/models/lr.bin',
      'FORMAT=binary',
      '[info]',
      'DB_TYPE=3',
      'DB_FILE_NAME=data/info.txt',
    );
    expect(readGlobalDbConfig(file, {})).toEqual([
      { name: 'info', kind: 'kv', file: join(dir(), 'data/info.txt'), separator: '\t', format: 'auto' },
      { name: 'model', kind: 'weights', file: '/models/lr.bin', separator: '\t', format: 'binary' },
    ]);
  });

  it('takes an absent or empty table list as no tables', () => {
    expect(readGlobalDbConfig(write('a.ini', '; no tables'), {})).toEqual([]);
    expect(readGlobalDbConfig(write('b.ini', '[GLOBAL_DB_INFO]', 'DBS_NAME='), {})).toEqual([]);
  });

  it('does not check that data files exist (the loader reports that when it loads)', () => {
    const file = write('g.ini', '[GLOBAL_DB_INFO]', 'DBS_NAME=a', '[a]', 'DB_TYPE=1', 'DB_FILE_NAME=nowhere/a.txt');
    expect(readGlobalDbConfig(file, {})[0]!.file).toBe(join(dir(), 'nowhere/a.txt'));
  });

  it('refuses a listed table without a section, a section not listed, and a name listed twice', () => {
    const file = write(
      'g.ini',
      '[GLOBAL_DB_INFO]',
      'DBS_NAME=a,b,a',
      '[a]',
      'DB_TYPE=1',
      'DB_FILE_NAME=a.txt',
      '[c]',
      'DB_TYPE=1',
      'DB_FILE_NAME=c.txt',
    );
    expect(problemsOf(file)).toEqual([
      '[GLOBAL_DB_INFO] DBS_NAME: lists "a" twice',
      '[c]: unknown section (known sections: [GLOBAL_DB_INFO], [a], [b]); its keys: DB_TYPE, DB_FILE_NAME',
      '[b]: listed in [GLOBAL_DB_INFO] DBS_NAME but the file has no such section',
    ]);
  });

  it('refuses a section that appears twice', () => {
    const file = write('g.ini', '[GLOBAL_DB_INFO]', 'DBS_NAME=a', '[a]', 'DB_TYPE=1', '[a]', 'DB_FILE_NAME=a.txt');
    expect(problemsOf(file)).toEqual(['[a]: section appears twice']);
  });

  it('names section and key of a missing, unknown or bad table key', () => {
    const file = write(
      'g.ini',
      '[GLOBAL_DB_INFO]',
      'DBS_NAME=a,b,c',
      '[a]',
      'DB_TYPE=6',
      'DB_FILE_NAME=a.txt',
      '[b]',
      'DB_TYPE=2',
      'KV_SPLIT_CHAR=49',
      '[c]',
      'DB_TYPE=set',
      'DB_FILENAME=c.txt',
      'FORMAT=text',
    );
    expect(problemsOf(file)).toEqual([
      '[a] DB_TYPE: "6" is not one of 1, 2, 3, 4, 5, set, map, kv, weights, gbdt',
      "[b] DB_FILE_NAME: missing: this key is required (a path, relative to the ini file's folder)",
      '[b] KV_SPLIT_CHAR: "49" is "1", which cannot be used here',
      '[c] DB_FILENAME: unknown key (did you mean DB_FILE_NAME?)',
      "[c] DB_FILE_NAME: missing: this key is required (a path, relative to the ini file's folder)",
      '[c] FORMAT: applies only to DB_TYPE weights (this table is a set)',
    ]);
  });

  it('names the file it cannot read', () => {
    const file = join(dir(), 'absent.ini');
    expect(() => readGlobalDbConfig(file, {})).toThrow(`${file}: cannot read: ENOENT`);
  });
});
