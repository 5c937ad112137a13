import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { readRankdIni } from '../../src/config/rankd-ini.js';
import { useTempConfigDir } from './write-ini.js';

const { dir, write } = useTempConfigDir();

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('rankd.ini', () => {
  it('takes every default when sections and keys are absent', () => {
    const file = write('rankd.ini', '; nothing but a comment');
    expect(readRankdIni(file, {})).toEqual({
      file,
      server: {
        host: '0.0.0.0',
        queryPort: 21345,
        controlHost: '127.0.0.1',
        controlPort: 21346,
        controlToken: undefined,
        deadlineMs: 1000,
        maxCandidates: 10_000,
        maxMessageBytes: 4_194_304,
      },
      pool: { threads: availableParallelism(), queueSize: 1024, tasksPerThread: 2, batchMax: 8, maxHeapMb: 1024, youngHeapMb: 6, killAfterMs: 1000, nice: 10 },
      globaldb: { config: join(dir(), 'global_db_config.ini'), graceMs: 2000, maxShrink: 0.5 },
      works: { config: join(dir(), 'work_config.ini') },
      log: { level: 'info', slowMs: 250 },
      admin: { host: '127.0.0.1', port: 21347 },
      remote: { config: undefined },
      discovery: undefined,
    });
  });

  it('reads given values, keeping defaults for the rest', () => {
    const file = write(
      'rankd.ini',
      '[server]',
      'query_port = 3000',
      'deadline_ms = 250',
      '[pool]',
      'threads = 3',
      '[globaldb]',
      'max_shrink = 0.9',
      '[log]',
      'level = debug',
    );
    const config = readRankdIni(file, {});
    expect(config.server).toMatchObject({ queryPort: 3000, deadlineMs: 250, controlPort: 21346 });
    expect(config.pool.threads).toBe(3);
    expect(config.globaldb.maxShrink).toBe(0.9);
    expect(config.log.level).toBe('debug');
  });

  it('resolves relative paths against the ini file folder, not the working directory', () => {
    const file = write('deploy/rankd.ini', '[globaldb]', 'config = tables/global.ini', '[works]', 'config = /abs/works.ini');
    const config = readRankdIni(file, {});
    expect(config.globaldb.config).toBe(join(dir(), 'deploy/tables/global.ini'));
    expect(config.works.config).toBe('/abs/works.ini');
  });

  it('takes the control token from RANKD_CONTROL_TOKEN over the file', () => {
    const file = write('rankd.ini', '[server]', 'control_token = from-file');
    expect(readRankdIni(file, {}).server.controlToken).toBe('from-file');
    expect(readRankdIni(file, { RANKD_CONTROL_TOKEN: 'from-env' }).server.controlToken).toBe('from-env');
    const noToken = write('other.ini', '[server]', 'control_token =');
    expect(readRankdIni(noToken, {}).server.controlToken).toBeUndefined();
    expect(readRankdIni(noToken, { RANKD_CONTROL_TOKEN: 'from-env' }).server.controlToken).toBe('from-env');
  });

  it('names file, section and key of a bad value', () => {
    const file = write('rankd.ini', '[server]', 'query_port = abc');
    expect(configError(() => readRankdIni(file, {})).message).toBe(`${file} [server] query_port: "abc" is not a port (1-65535)`);
    const shrink = write('shrink.ini', '[globaldb]', 'max_shrink = 1.5');
    expect(configError(() => readRankdIni(shrink, {})).message).toBe(`${shrink} [globaldb] max_shrink: "1.5" is not a number (0-1)`);
    const level = write('level.ini', '[log]', 'level = verbose');
    expect(configError(() => readRankdIni(level, {})).message).toBe(
      `${level} [log] level: "verbose" is not one of trace, debug, info, warn, error`,
    );
  });

  it('names file, section and key of an unknown key', () => {
    const file = write('rankd.ini', '[pool]', 'thread = 4');
    const error = configError(() => readRankdIni(file, {}));
    expect(error.problems).toEqual([{ file, section: 'pool', key: 'thread', message: 'unknown key (did you mean threads?)' }]);
    expect(error.message).toBe(`${file} [pool] thread: unknown key (did you mean threads?)`);
  });

  it('names file and section of an unknown section, and the keys found in it', () => {
    const file = write('rankd.ini', '[sever]', 'query_port = 1', 'host = h');
    const error = configError(() => readRankdIni(file, {}));
    expect(error.problems).toEqual([{ file, section: 'sever', message: 'unknown section (did you mean [server]?); its keys: query_port, host' }]);
    expect(error.message).toBe(`${file} [sever]: unknown section (did you mean [server]?); its keys: query_port, host`);
  });

  it('reports every problem of the file in one error', () => {
    const file = write('rankd.ini', '[server]', 'query_port = 0', 'control_port = x', '[pool]', 'queue_size = -1', '[nope]');
    expect(configError(() => readRankdIni(file, {})).problems.map((p) => `${p.section} ${p.key ?? ''}`)).toEqual([
      'nope ',
      'server query_port',
      'server control_port',
      'pool queue_size',
    ]);
  });

  it('says so when rankd.ini cannot be read', () => {
    const error = configError(() => loadConfig(join(dir(), 'missing'), { env: {} }));
    expect(error.message).toMatch(/missing\/rankd\.ini: cannot read: ENOENT/);
  });
});

describe('loadConfig', () => {
  it('reads rankd.ini in the folder and the global db config it points to', () => {
    write('rankd.ini', '[globaldb]', 'config = tables.ini', 'grace_ms = 10');
    write('tables.ini', '[GLOBAL_DB_INFO]', 'DBS_NAME=users', '', '[users]', 'DB_TYPE=1', 'DB_FILE_NAME=users.txt');
    write('echo.ts', 'export default { call: (b: unknown) => b };');
    write('work_config.ini', '[WORK_INFO]', 'WORKS = echo', '', '[echo]', 'MODULE = echo.ts');
    const config = loadConfig(dir(), { env: { RANKD_CONTROL_TOKEN: 't' } });
    expect(config.works.works).toEqual([{ api: 'echo', module: join(dir(), 'echo.ts'), params: {}, algorithms: undefined }]);
    expect(config.file).toBe(join(dir(), 'rankd.ini'));
    expect(config.server.controlToken).toBe('t');
    expect(config.globaldb).toEqual({
      config: join(dir(), 'tables.ini'),
      graceMs: 10,
      maxShrink: 0.5,
      tables: [{ name: 'users', kind: 'set', file: join(dir(), 'users.txt'), separator: '\t', format: 'auto' }],
    });
  });

  it('fails on a problem in the global db config, naming that file', () => {
    write('rankd.ini', '');
    const tables = write('global_db_config.ini', '[GLOBAL_DB_INFO]', 'DBS_NAME=a', '[a]', 'DB_TYPE=9', 'DB_FILE_NAME=a.txt');
    expect(configError(() => loadConfig(dir(), { env: {} })).message).toBe(
      `${tables} [a] DB_TYPE: "9" is not one of 1, 2, 3, 4, 5, set, map, kv, weights, gbdt`,
    );
  });
});
