import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { readRankdIni } from '../../src/config/rankd-ini.js';
import { useTempConfigDir } from '../config/write-ini.js';

const { write } = useTempConfigDir();

describe('rankd.ini [discovery]', () => {
  it('is absent without an etcd line: the server runs stand-alone', () => {
    expect(readRankdIni(write('rankd.ini', '[server]'), {}).discovery).toBeUndefined();
    expect(readRankdIni(write('rankd.ini', '[discovery]', 'etcd ='), {}).discovery).toBeUndefined();
  });

  it('takes endpoints and defaults', () => {
    const file = write('rankd.ini', '[discovery]', 'etcd = http://10.0.0.5:2379, http://10.0.0.6:2379');
    expect(readRankdIni(file, {}).discovery).toEqual({
      etcd: ['http://10.0.0.5:2379', 'http://10.0.0.6:2379'],
      prefix: 'etcd',
      env: 'dev',
      service: 'rankd',
      advertiseHost: undefined,
      ttlS: 10,
      drainMs: 1000,
      weight: 1,
      zone: '',
    });
  });

  it('reads every key', () => {
    const file = write(
      'rankd.ini',
      '[discovery]',
      'etcd = 127.0.0.1:2379',
      'prefix = svc',
      'env = prod',
      'service = ranker',
      'advertise_host = 10.1.1.1',
      'ttl_s = 3',
      'drain_ms = 0',
      'weight = 2.5',
      'zone = eu-1',
    );
    expect(readRankdIni(file, {}).discovery).toEqual({
      etcd: ['127.0.0.1:2379'],
      prefix: 'svc',
      env: 'prod',
      service: 'ranker',
      advertiseHost: '10.1.1.1',
      ttlS: 3,
      drainMs: 0,
      weight: 2.5,
      zone: 'eu-1',
    });
  });

  it('refuses settings without endpoints, and bad values, naming the key', () => {
    const orphan = write('rankd.ini', '[discovery]', 'env = prod', 'ttl_s = 0');
    let error: ConfigError | undefined;
    try {
      readRankdIni(orphan, {});
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => `${p.key}: ${p.message}`)).toEqual([
      'ttl_s: "0" is not an integer (1-3600)',
      'etcd: missing: env, ttl_s need etcd endpoints; set etcd, or remove the section to run stand-alone',
    ]);
  });
});
