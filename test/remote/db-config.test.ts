import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { readDbConfig } from '../../src/config/db-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { useTempConfigDir } from '../config/write-ini.js';

const CONFIG_DIR = fileURLToPath(new URL('../../config', import.meta.url));
const { dir, write } = useTempConfigDir();

function problemsOf(file: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    readDbConfig(file, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n').map((line) => line.replace(`${file} `, ''));
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const source = (name: string, ...lines: string[]): string[] => [`[${name}]`, ...lines];

describe('db_config.ini', () => {
  it('reads a source of every type with its defaults', () => {
    const file = write(
      'db_config.ini',
      '[DB_INFO]',
      'DBS_NAME = feats, cluster, cache, stats, peers',
      ...source('feats', 'type = redis', 'servers = 10.0.0.1:6379, [::1]:6380'),
      ...source('cluster', 'type = redis-cluster', 'servers = 10.0.1.1:7000', 'select = random', 'password_env = CLUSTER_PW', 'key_prefix = p:'),
      ...source('cache', 'type = memcache', 'servers = 10.0.2.1:11211', 'value = list', 'separator = ";"', 'required = false'),
      ...source(
        'stats',
        'type = http',
        'servers = 10.0.3.1:8080',
        'method = post',
        'url = /v1/stats',
        'body = {"id": "{key}"}',
        'headers = Content-Type: application/json | X-Caller: rankd',
        'auth = bearer',
        'token_env = STATS_TOKEN',
        'value = pairs',
        'separator = 124',
        'score_separator = =',
        'compress = zlib',
        'timeout_ms = 80',
      ),
      ...source('peers', 'type = peer', 'target = 10.0.4.1:21345, 10.0.4.2:21345', 'api = scores', 'value = json'),
    );
    const common = { select: 'hash', timeoutMs: 100, value: { kind: 'string' }, compress: 'none', required: true };
    expect(readDbConfig(file, { CLUSTER_PW: 'cpw', STATS_TOKEN: 'tok' })).toEqual([
      {
        ...common,
        name: 'feats',
        type: 'redis',
        servers: [
          { host: '10.0.0.1', port: 6379 },
          { host: '::1', port: 6380 },
        ],
        db: 0,
        username: undefined,
        password: undefined,
        keyPrefix: '',
      },
      {
        ...common,
        name: 'cluster',
        type: 'redis-cluster',
        servers: [{ host: '10.0.1.1', port: 7000 }],
        select: 'random',
        db: 0,
        username: undefined,
        password: 'cpw',
        keyPrefix: 'p:',
      },
      { ...common, name: 'cache', type: 'memcache', servers: [{ host: '10.0.2.1', port: 11211 }], value: { kind: 'list', separator: ';' }, required: false, keyPrefix: '' },
      {
        ...common,
        name: 'stats',
        type: 'http',
        servers: [{ host: '10.0.3.1', port: 8080 }],
        timeoutMs: 80,
        value: { kind: 'pairs', separator: '|', scoreSeparator: '=' },
        compress: 'zlib',
        method: 'POST',
        tls: false,
        url: '/v1/stats',
        body: '{"id": "{key}"}',
        headers: { 'content-type': 'application/json', 'x-caller': 'rankd' },
        auth: { kind: 'bearer', token: 'tok' },
        connections: 16,
      },
      {
        ...common,
        name: 'peers',
        type: 'peer',
        servers: [
          { host: '10.0.4.1', port: 21345 },
          { host: '10.0.4.2', port: 21345 },
        ],
        value: { kind: 'json' },
        discovery: undefined,
        api: 'scores',
      },
    ]);
  });

  it('takes an etcd:/// peer target (resolved by discovery) and basic auth', () => {
    const file = write(
      'db_config.ini',
      '[DB_INFO]',
      'DBS_SPLIT_CHAR = 124',
      'DBS_NAME = far | text',
      ...source('far', 'type = peer', 'target = etcd:///etcd/prod/features', 'select = random', 'api = features'),
      ...source('text', 'type = http', 'servers = 127.0.0.1:80', 'url = /t/{key}', 'auth = basic', 'username = u', 'password = p', 'value = list', 'separator = \\t'),
    );
    const [far, text] = readDbConfig(file, {});
    expect(far).toMatchObject({ type: 'peer', servers: [], discovery: 'etcd:///etcd/prod/features', select: 'random' });
    expect(text).toMatchObject({ auth: { kind: 'basic', username: 'u', password: 'p' }, value: { kind: 'list', separator: '\t' } });
  });

  it('names file, section and key of every problem', () => {
    const file = write(
      'db_config.ini',
      '[DB_INFO]',
      'DBS_NAME = a, b, fetch, 9lives, c, d, e, a, missing',
      ...source('a', 'type = redis', 'servers = 10.0.0.1', 'url = /x', 'timeout_ms = soon', 'separator = |'),
      ...source('b', 'type = rediss', 'servers = h:1'),
      ...source('c', 'type = http', 'servers = h:1', 'url = items/{key}', 'body = {}', 'auth = bearer', 'password_env = NOPE'),
      ...source('d', 'type = peer', 'servers = h:1', 'target = etcd:///x, h:2', 'select = hash', 'compress = zlib'),
      ...source('e', 'type = http', 'servers = h:1', 'url = /all', 'value = pairs', 'separator = :'),
      ...source('stray', 'type = redis'),
    );
    expect(problemsOf(file)).toEqual([
      '[DB_INFO] DBS_NAME: lists "a" twice',
      '[stray]: unknown section (known sections: [DB_INFO], [a], [b], [fetch], [9lives], [c], [d], [e], [missing]); its keys: type',
      '[a] timeout_ms: "soon" is not a duration in milliseconds (>= 1)',
      '[a] url: applies only to type http (this source is redis)',
      '[a] separator: applies only to value = list or pairs (this one is string)',
      '[a] servers: "10.0.0.1" is not host:port',
      '[b] type: "rediss" is not one of redis, redis-cluster, memcache, http, peer',
      '[DB_INFO] DBS_NAME: "fetch" is reserved (ctx.remote.fetch): it becomes ctx.remote.<name>',
      '[DB_INFO] DBS_NAME: "9lives" is not a name (letters, digits and _, not starting with a digit): it becomes ctx.remote.<name>',
      '[c] url: "items/{key}" must start with / (the servers come from "servers")',
      '[c] body: applies only to method = POST',
      '[c] password_env: environment variable NOPE is not set',
      '[c] token: missing: this key is required for type http (the bearer token, or token_env)',
      '[d] servers: applies only to type redis, redis-cluster, memcache, http (this source is peer)',
      '[d] compress: applies only to type redis, redis-cluster, memcache, http (this source is peer)',
      '[d] target: a discovery target (scheme:///…) stands alone, not in a list',
      '[d] select: hash needs a fixed server list; a discovery target spreads calls over its servers (use random)',
      '[d] api: missing: this key is required for type peer (the api of the peer work that answers {"api", "keys"})',
      '[e] score_separator: is the same as separator (":")',
      '[e] url: neither url nor body contains {key}, so every key would read the same thing',
      '[missing]: listed in [DB_INFO] DBS_NAME but the file has no such section',
    ]);
  });

  it('refuses a secret given both in the file and through the environment', () => {
    const file = write('db_config.ini', '[DB_INFO]', 'DBS_NAME = r', ...source('r', 'type = redis', 'servers = h:1', 'password = x', 'password_env = PW'));
    expect(problemsOf(file, { PW: 'y' })).toEqual(['[r] password_env: give password or password_env, not both']);
  });

  it('the shipped file declares an optional redis source, and every commented example in it is valid', () => {
    const shipped = join(CONFIG_DIR, 'db_config.ini');
    expect(readDbConfig(shipped, {})).toEqual([
      expect.objectContaining({ name: 'item_features', type: 'redis', required: false, value: { kind: 'json' }, keyPrefix: 'feat:' }),
    ]);

    // Example lines are ";" directly followed by text: uncomment them all and list every section.
    const text = readFileSync(shipped, 'utf8');
    const uncommented = text
      .split('\n')
      .map((line) => (/^;[^\s;]/.test(line) ? line.slice(1) : line));
    const sections = uncommented.flatMap((line) => /^\[([^\]]+)\]$/.exec(line)?.[1] ?? []).filter((name) => name !== 'DB_INFO');
    expect(sections.length).toBeGreaterThanOrEqual(7);
    const examples = write(
      'examples.ini',
      ...uncommented.map((line) => (line.startsWith('DBS_NAME') ? `DBS_NAME = ${sections.join(', ')}` : line)),
    );
    const env = { REDIS_PASSWORD: 'a', REDIS_CLUSTER_PASSWORD: 'b', STATS_TOKEN: 'c', TEXT_PASSWORD: 'd' };
    const types = readDbConfig(examples, env).map((spec) => spec.type);
    expect(new Set(types)).toEqual(new Set(['redis', 'redis-cluster', 'memcache', 'http', 'peer']));
  });

  it('loadConfig attaches the sources: the default db_config.ini is optional, a named one must exist', () => {
    const shipped = loadConfig(CONFIG_DIR, { env: {} });
    expect(shipped.remote.config).toBe(join(CONFIG_DIR, 'db_config.ini'));
    expect(shipped.remote.sources.map((spec) => spec.name)).toEqual(['item_features']);

    const copy = join(dir(), 'config');
    cpSync(CONFIG_DIR, copy, { recursive: true, filter: (file) => !file.endsWith('.control-token') });
    const works = join(copy, 'work_config.ini');
    writeFileSync(works, readFileSync(works, 'utf8').replaceAll('../workers/', `${join(CONFIG_DIR, '../workers')}/`));
    const rankdIni = join(copy, 'rankd.ini');
    const withoutRemote = readFileSync(rankdIni, 'utf8').replace(/^\[remote\][^[]*/m, '');
    writeFileSync(rankdIni, withoutRemote);
    rmSync(join(copy, 'db_config.ini'));
    expect(loadConfig(copy, { env: {} }).remote).toEqual({ config: join(copy, 'db_config.ini'), sources: [] });

    writeFileSync(join(copy, 'db_config.ini'), ['[DB_INFO]', 'DBS_NAME = s', ...source('s', 'type = memcache', 'servers = 127.0.0.1:11211')].join('\n'));
    expect(loadConfig(copy, { env: {} }).remote.sources).toEqual([expect.objectContaining({ name: 's', type: 'memcache' })]);

    writeFileSync(rankdIni, `${withoutRemote}\n[remote]\nconfig = elsewhere/db.ini\n`);
    expect(() => loadConfig(copy, { env: {} })).toThrow(`${join(copy, 'elsewhere/db.ini')}: cannot read`);
  });
});
