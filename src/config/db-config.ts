/**
 * db_config.ini: the remote sources works read through ctx.remote, in
 * lab_common_so's layout (a list section, then one section per source):
 *
 *   [DB_INFO]
 *   DBS_NAME = item_features, user_history   ; DBS_SPLIT_CHAR: separator code, default comma
 *
 *   [item_features]
 *   type = redis                  ; redis, redis-cluster, memcache, http, peer
 *   servers = 10.0.0.1:6379, 10.0.0.2:6379
 *   select = hash                 ; hash: key-hash sharding; random: any server (replicas)
 *   timeout_ms = 100
 *   value = pairs                 ; string, list, pairs (id:score), json
 *   compress = zlib               ; none, zlib
 *   required = false              ; false: a failed read gives misses instead of failing the request
 *
 * plus keys of one type (key_prefix, db, password, url, method, target…),
 * documented in the shipped config/db_config.ini. Only the shape is checked
 * here; servers are first contacted by the first read.
 */
import { SOURCE_TYPES, type HttpAuth, type ServerAddress, type SourceSpec, type SourceType, type ValueFormat } from '../remote/source-spec.js';
import { hasListedSection, readListedFile } from './listed-names.js';
import { BadValue, bool, durationMs, Field, int, list, oneOf, readSection, string, type ReadContext } from './schema.js';

const INFO_SECTION = 'DB_INFO';


/** A separator as written: the characters, \t or \s, or a decimal character code (lab_common_so's way). */
function separator(): Field<string> {
  return new Field('a separator: its characters (quote ";" and "#"), \\t for tab, \\s for space, or a decimal character code', (raw) => {
    if (raw === '\\t') return '\t';
    if (raw === '\\s') return ' ';
    if (/^\d+$/.test(raw)) {
      const code = Number(raw);
      if (code < 1 || code > 0x10ffff) throw new BadValue('is not a character code (1-1114111)');
      return String.fromCodePoint(code);
    }
    return raw;
  });
}

/** "Name: value | Name: value" */
function headers(): Field<Record<string, string>> {
  return new Field('headers as "Name: value | Name: value"', (raw) => {
    const result: Record<string, string> = {};
    for (const item of raw.split('|').map((part) => part.trim())) {
      if (item === '') continue;
      const colon = item.indexOf(':');
      const name = colon > 0 ? item.slice(0, colon).trim() : '';
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new BadValue(`has ${JSON.stringify(item)}, which is not "Name: value"`);
      result[name.toLowerCase()] = item.slice(colon + 1).trim();
    }
    return result;
  });
}

const sourceSchema = {
  type: oneOf(SOURCE_TYPES),
  servers: list().optional(),
  target: list().optional(),
  select: oneOf(['hash', 'random']).default('hash'),
  timeoutMs: durationMs({ min: 1 }).default(100),
  value: oneOf(['string', 'list', 'pairs', 'json']).default('string'),
  separator: separator().default(','),
  scoreSeparator: separator().default(':'),
  compress: oneOf(['none', 'zlib']).default('none'),
  required: bool().default(true),
  keyPrefix: string().default(''),
  db: int({ min: 0 }).default(0),
  username: string().optional(),
  password: string().optional(),
  passwordEnv: string().optional(),
  method: oneOf(['GET', 'POST']).default('GET'),
  tls: bool().default(false),
  url: string().optional(),
  body: string().optional(),
  headers: headers().optional(),
  auth: oneOf(['none', 'basic', 'bearer']).default('none'),
  token: string().optional(),
  tokenEnv: string().optional(),
  connections: int({ min: 1, max: 1024 }).default(16),
  api: string().optional(),
};

/** Keys that only some types take (every other key applies to all). */
const TYPES_OF_KEY: Readonly<Record<string, readonly SourceType[]>> = {
  servers: ['redis', 'redis-cluster', 'memcache', 'http'],
  target: ['peer'],
  compress: ['redis', 'redis-cluster', 'memcache', 'http'],
  key_prefix: ['redis', 'redis-cluster', 'memcache'],
  db: ['redis'],
  username: ['redis', 'redis-cluster', 'http'],
  password: ['redis', 'redis-cluster', 'http'],
  password_env: ['redis', 'redis-cluster', 'http'],
  method: ['http'],
  tls: ['http'],
  url: ['http'],
  body: ['http'],
  headers: ['http'],
  auth: ['http'],
  token: ['http'],
  token_env: ['http'],
  connections: ['http'],
  api: ['peer'],
};

/** Source names become properties of ctx.remote next to fetch(). */
const SOURCE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_NAMES = ['fetch'];

/** Reads db_config.ini into the sources it declares, in DBS_NAME order; throws ConfigError naming every problem. */
export function readDbConfig(file: string, env: NodeJS.ProcessEnv = process.env): SourceSpec[] {
  const { context, names } = readListedFile(file, env, INFO_SECTION);
  const { ini, problems } = context;

  const specs: SourceSpec[] = [];
  for (const name of names) {
    if (!SOURCE_NAME.test(name) || RESERVED_NAMES.includes(name)) {
      const why = RESERVED_NAMES.includes(name) ? 'is reserved (ctx.remote.fetch)' : 'is not a name (letters, digits and _, not starting with a digit)';
      problems.add({ file: ini.file, section: INFO_SECTION, key: 'DBS_NAME', message: `${JSON.stringify(name)} ${why}: it becomes ctx.remote.<name>` });
      continue;
    }
    if (!hasListedSection(context, INFO_SECTION, name)) continue;
    const spec = new SourceSection(context, name).read();
    if (spec !== undefined) specs.push(spec);
  }
  problems.throwIfAny();
  return specs;
}

type SourceValues = { [K in keyof typeof sourceSchema]: (typeof sourceSchema)[K] extends Field<infer T> ? T : never };

/** One source section: its values checked against its type. */
class SourceSection {
  private readonly written: ReadonlyMap<string, string>;
  private readonly values: SourceValues;

  constructor(
    private readonly context: ReadContext,
    private readonly name: string,
  ) {
    this.written = context.ini.sections.get(name)!;
    this.values = readSection(context, name, sourceSchema);
  }

  /**
   * The spec; after a reported problem it may hold undefined fields, but
   * readDbConfig throws before anyone sees it. Undefined without a type.
   */
  read(): SourceSpec | undefined {
    const v = this.values;
    if (v.type === undefined) return undefined;
    this.checkKeysApply(v.type);
    const base = {
      name: this.name,
      servers: v.type === 'peer' ? this.peerServers() : this.servers('servers', v.servers, true),
      select: v.select,
      timeoutMs: v.timeoutMs,
      value: this.valueFormat(),
      compress: v.compress,
      required: v.required,
    };
    let spec: SourceSpec;
    switch (v.type) {
      case 'redis':
      case 'redis-cluster':
        spec = { ...base, type: v.type, db: v.db, username: v.username, password: this.secret('password'), keyPrefix: v.keyPrefix };
        break;
      case 'memcache':
        spec = { ...base, type: v.type, keyPrefix: v.keyPrefix };
        break;
      case 'http':
        spec = {
          ...base,
          type: v.type,
          method: v.method,
          tls: v.tls,
          url: this.url(),
          body: this.body(),
          headers: v.headers ?? {},
          auth: this.auth(),
          connections: v.connections,
        };
        break;
      case 'peer':
        spec = { ...base, type: v.type, discovery: this.discovery(), api: this.required('api', v.api, 'the api of the peer work that answers {"api", "keys"}') };
        break;
    }
    return spec;
  }

  private problem(key: string | undefined, message: string): void {
    this.context.problems.add({ file: this.context.ini.file, section: this.name, ...(key === undefined ? {} : { key }), message });
  }

  private given(key: string): boolean {
    return (this.written.get(key) ?? '').trim() !== '';
  }

  private checkKeysApply(type: SourceType): void {
    for (const key of this.written.keys()) {
      // Own keys only: a key named "constructor" or "toString" is unknown, not Object's method.
      const types = Object.hasOwn(TYPES_OF_KEY, key) ? TYPES_OF_KEY[key] : undefined;
      if (types !== undefined && !types.includes(type)) this.problem(key, `applies only to type ${types.join(', ')} (this source is ${type})`);
    }
    const format = this.values.value;
    if (this.given('separator') && format !== 'list' && format !== 'pairs') this.problem('separator', `applies only to value = list or pairs (this one is ${format})`);
    if (this.given('score_separator') && format !== 'pairs') this.problem('score_separator', `applies only to value = pairs (this one is ${format})`);
  }

  private required<T>(key: string, value: T | undefined, what: string): T {
    if (value === undefined) this.problem(key, `missing: this key is required for type ${this.values.type} (${what})`);
    return value as T;
  }

  private servers(key: string, written: string[] | undefined, required: boolean): ServerAddress[] {
    if (written === undefined || written.length === 0) {
      if (required) this.required(key, undefined, 'a list of host:port');
      return [];
    }
    const servers: ServerAddress[] = [];
    for (const item of written) {
      const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(item);
      const port = match === null ? NaN : Number(match[3]);
      if (match === null || port < 1 || port > 65535) {
        this.problem(key, `${JSON.stringify(item)} is not host:port`);
        continue;
      }
      servers.push({ host: match[1] ?? match[2]!, port });
    }
    return servers;
  }

  /** A peer lists host:port servers, or names one discovery target (etcd:///…). */
  private peerServers(): ServerAddress[] {
    const target = this.values.target;
    if (target === undefined || target.length === 0) {
      this.required('target', undefined, 'host:port list, or an etcd:///prefix/env/service target');
      return [];
    }
    return target.some(isUri) ? [] : this.servers('target', target, true);
  }

  private discovery(): string | undefined {
    const target = this.values.target ?? [];
    if (!target.some(isUri)) return undefined;
    if (target.length > 1) this.problem('target', 'a discovery target (scheme:///…) stands alone, not in a list');
    if (this.values.select === 'hash' && this.given('select')) {
      this.problem('select', 'hash needs a fixed server list; a discovery target spreads calls over its servers (use random)');
    }
    return target[0];
  }

  private valueFormat(): ValueFormat {
    const { value, separator, scoreSeparator } = this.values;
    switch (value) {
      case 'list':
        return { kind: 'list', separator };
      case 'pairs':
        if (separator === scoreSeparator) this.problem('score_separator', `is the same as separator (${JSON.stringify(separator)})`);
        return { kind: 'pairs', separator, scoreSeparator };
      default:
        return { kind: value };
    }
  }

  /** A secret from the file, or from the environment variable that `<key>_env` names. */
  private secret(key: 'password' | 'token'): string | undefined {
    const envKey = `${key}_env`;
    const fromFile = this.values[key];
    const variable = this.values[key === 'password' ? 'passwordEnv' : 'tokenEnv'];
    if (variable === undefined) return fromFile;
    if (fromFile !== undefined) this.problem(envKey, `give ${key} or ${envKey}, not both`);
    const value = this.context.env[variable];
    if (value === undefined || value === '') this.problem(envKey, `environment variable ${variable} is not set`);
    return value;
  }

  private url(): string {
    const url = this.required('url', this.values.url, 'path and query with {key}, e.g. /items/{key}');
    if (url !== undefined && !url.startsWith('/')) this.problem('url', `${JSON.stringify(url)} must start with / (the servers come from "servers")`);
    const inBody = this.values.body?.includes('{key}') ?? false;
    if (url !== undefined && !url.includes('{key}') && !inBody) this.problem('url', 'neither url nor body contains {key}, so every key would read the same thing');
    return url;
  }

  private body(): string | undefined {
    if (this.values.body !== undefined && this.values.method !== 'POST') this.problem('body', 'applies only to method = POST');
    return this.values.body;
  }

  private auth(): HttpAuth {
    const { auth, username } = this.values;
    const password = this.secret('password');
    const token = this.secret('token');
    switch (auth) {
      case 'none':
        if (username !== undefined || password !== undefined) this.problem('auth', 'username/password are given but auth is none (set auth = basic)');
        if (token !== undefined) this.problem('auth', 'a token is given but auth is none (set auth = bearer)');
        return { kind: 'none' };
      case 'basic':
        return {
          kind: 'basic',
          username: this.required('username', username, 'the basic auth user'),
          password: this.required('password', password, 'the basic auth password, or password_env'),
        };
      case 'bearer':
        return { kind: 'bearer', token: this.required('token', token, 'the bearer token, or token_env') };
    }
  }
}

function isUri(item: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(item);
}
