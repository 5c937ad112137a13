import { describe, expect, it } from 'vitest';
import { ConfigError, ProblemList, formatProblem } from '../../src/config/config-error.js';
import { parseIniText } from '../../src/config/ini-file.js';
import {
  BadValue,
  bool,
  charCode,
  durationMs,
  int,
  list,
  number,
  oneOf,
  path,
  port,
  readSection,
  readSections,
  string,
  type SectionSchema,
} from '../../src/config/schema.js';

const FILE = '/etc/rankd/test.ini';

/** Reads `section` of `text` with `schema`; returns the values or throws ConfigError. */
function read<T>(text: string, schema: SectionSchema<T>, env: NodeJS.ProcessEnv = {}, section = 's'): T {
  const problems = new ProblemList();
  const ini = parseIniText(text, FILE, problems);
  const values = readSection({ ini, env, problems }, section, schema);
  problems.throwIfAny();
  return values;
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('formatProblem', () => {
  it('names the file relative to the working directory, then section and key', () => {
    const message = formatProblem({
      file: `${process.cwd()}/config/rankd.ini`,
      section: 'server',
      key: 'query_port',
      message: '"abc" is not a port (1-65535)',
    });
    expect(message).toBe('config/rankd.ini [server] query_port: "abc" is not a port (1-65535)');
  });

  it('keeps absolute paths outside the working directory', () => {
    expect(formatProblem({ file: '/elsewhere/a.ini', section: 'x', message: 'unknown section' })).toBe('/elsewhere/a.ini [x]: unknown section');
  });
});

describe('field types', () => {
  it('int and number check syntax and range', () => {
    const schema = { a: int({ min: 0, max: 10 }), b: number({ min: 0, max: 1 }) };
    expect(read('[s]\na = 7\nb = .25', schema)).toEqual({ a: 7, b: 0.25 });
    expect(errorOf(() => read('[s]\na = 11\nb = 1', schema)).message).toBe(`${FILE} [s] a: "11" is not an integer (0-10)`);
    expect(errorOf(() => read('[s]\na = 1.5\nb = 1', schema)).message).toBe(`${FILE} [s] a: "1.5" is not an integer (0-10)`);
    expect(errorOf(() => read('[s]\na = 1\nb = 1.01', schema)).message).toBe(`${FILE} [s] b: "1.01" is not a number (0-1)`);
    expect(errorOf(() => read('[s]\na = 1\nb = 0x1', schema)).message).toContain('"0x1" is not a number');
  });

  it('port accepts 1-65535 only', () => {
    const schema = { p: port() };
    expect(read('[s]\np=65535', schema).p).toBe(65535);
    for (const bad of ['0', '65536', 'abc', '-1']) {
      expect(errorOf(() => read(`[s]\np=${bad}`, schema)).message).toBe(`${FILE} [s] p: "${bad}" is not a port (1-65535)`);
    }
  });

  it('durationMs is whole milliseconds within its range', () => {
    expect(read('[s]\nd = 250', { d: durationMs() }).d).toBe(250);
    expect(errorOf(() => read('[s]\nd = 1s', { d: durationMs() })).message).toContain('"1s" is not a duration in milliseconds (>= 0)');
    expect(errorOf(() => read('[s]\nd = 0', { d: durationMs({ min: 1 }) })).message).toContain('(>= 1)');
  });

  it('bool takes the usual words in any case', () => {
    const schema = { a: bool(), b: bool(), c: bool(), d: bool() };
    expect(read('[s]\na=true\nb=No\nc=ON\nd=0', schema)).toEqual({ a: true, b: false, c: true, d: false });
    expect(errorOf(() => read('[s]\na=maybe\nb=1\nc=1\nd=1', schema)).message).toContain('"maybe" is not a boolean');
  });

  it('list splits, trims and drops empty items', () => {
    expect(read('[s]\nl = a, b ,,c,', { l: list() }).l).toEqual(['a', 'b', 'c']);
    expect(read('[s]\nl = a|b', { l: list('|') }).l).toEqual(['a', 'b']);
  });

  it('oneOf maps several spellings to one value, case-insensitively', () => {
    const schema = { t: oneOf({ '1': 'set', set: 'set', '2': 'map', map: 'map' }) };
    expect(read('[s]\nt=1', schema).t).toBe('set');
    expect(read('[s]\nt=MAP', schema).t).toBe('map');
    expect(errorOf(() => read('[s]\nt=3', schema)).message).toBe(`${FILE} [s] t: "3" is not one of 1, 2, set, map`);
    expect(read('[s]\nlevel=warn', { level: oneOf(['info', 'warn']) }).level).toBe('warn');
  });

  it('charCode turns a decimal code into the character and refuses forbidden ones', () => {
    expect(read('[s]\nc=9', { c: charCode() }).c).toBe('\t');
    expect(read('[s]\nc=44', { c: charCode() }).c).toBe(',');
    expect(errorOf(() => read('[s]\nc=tab', { c: charCode() })).message).toContain('"tab" is not a decimal character code');
    expect(errorOf(() => read('[s]\nc=0', { c: charCode() })).message).toContain('"0" is not a decimal character code');
    expect(errorOf(() => read('[s]\nc=49', { c: charCode('0123456789') })).message).toBe(`${FILE} [s] c: "49" is "1", which cannot be used here`);
  });

  it('path resolves file values and defaults against the ini file folder', () => {
    const schema = { a: path(), b: path().default('data/b.txt'), c: path() };
    expect(read('[s]\na = ../x.txt\nc = /abs/c.txt', schema)).toEqual({ a: '/etc/x.txt', b: '/etc/rankd/data/b.txt', c: '/abs/c.txt' });
  });

  it('map converts further, defaults set before it included, and may reject with BadValue', () => {
    const even = int()
      .default(4)
      .map((value, raw) => {
        if (value % 2 !== 0) throw new BadValue('is not even');
        return `${raw}=${value}`;
      });
    expect(read('[s]\nn = 08', { n: even }).n).toBe('08=8');
    expect(read('[s]', { n: even }).n).toBe('4=4');
    expect(errorOf(() => read('[s]\nn = 3', { n: even })).message).toBe(`${FILE} [s] n: "3" is not even`);
  });
});

describe('presence', () => {
  it('applies defaults and leaves optional fields undefined; an empty value counts as absent', () => {
    const schema = { a: int().default(5), b: string().optional(), c: string().default('x') };
    expect(read('[s]\nb =\nc =', schema)).toEqual({ a: 5, b: undefined, c: 'x' });
    expect(read('', schema)).toEqual({ a: 5, b: undefined, c: 'x' });
  });

  it('reports a missing required key with its location', () => {
    expect(errorOf(() => read('[s]\n', { needed: int() })).message).toBe(`${FILE} [s] needed: missing: this key is required (an integer)`);
  });

  it('lets a non-empty environment variable override the file, and names it when its value is bad', () => {
    const schema = { token: string().optional().env('TOKEN'), n: int().default(1).env('N') };
    expect(read('[s]\ntoken = file', schema, { TOKEN: 'env' })).toEqual({ token: 'env', n: 1 });
    expect(read('[s]\ntoken = file', schema, { TOKEN: '' })).toEqual({ token: 'file', n: 1 });
    expect(read('[s]', schema, { TOKEN: 'env' }).token).toBe('env');
    expect(errorOf(() => read('[s]', schema, { N: 'many' })).message).toBe(`${FILE} [s] n: "many" (from environment N) is not an integer`);
  });

  it('uses snake_case of the property as the key unless key() names it', () => {
    const schema = { queryPort: port(), fileName: string().key('DB_FILE_NAME') };
    expect(read('[s]\nquery_port = 80\nDB_FILE_NAME = f', schema)).toEqual({ queryPort: 80, fileName: 'f' });
  });
});

describe('file shape', () => {
  it('reports unknown keys, suggesting a near one', () => {
    const schema = { queryPort: port().default(1), host: string().default('h') };
    expect(errorOf(() => read('[s]\nquery_prot = 2', schema)).message).toBe(`${FILE} [s] query_prot: unknown key (did you mean query_port?)`);
    expect(errorOf(() => read('[s]\nQUERY_PORT = 2', schema)).message).toContain('did you mean query_port?');
    expect(errorOf(() => read('[s]\nzzz = 2', schema)).message).toBe(`${FILE} [s] zzz: unknown key (known keys: query_port, host)`);
  });

  it('reports unknown sections of a fixed-layout file, every problem at once', () => {
    const problems = new ProblemList();
    const ini = parseIniText('[sever]\nport = 1\n[other]\n[server]\nport = x\n', FILE, problems);
    readSections({ ini, env: {}, problems }, { server: { port: port().default(1) } });
    const error = errorOf(() => problems.throwIfAny());
    expect(error.problems.map(formatProblem)).toEqual([
      `${FILE} [sever]: unknown section (did you mean [server]?); its keys: port`,
      `${FILE} [other]: unknown section (known sections: [server])`,
      `${FILE} [server] port: "x" is not a port (1-65535)`,
    ]);
    expect(error.message.split('\n')).toHaveLength(3);
  });

  it('reports what the ini package would silently accept: repeats, keys outside sections, bare keys', () => {
    const problems = new ProblemList();
    parseIniText('top = 1\n[a]\nk = 1\nk = 2\nbare\nlist[] = 1\n[a]\n[b] ; trailing comment\n', FILE, problems);
    expect(errorOf(() => problems.throwIfAny()).problems.map(formatProblem)).toEqual([
      `${FILE} top: key before the first [section]`,
      `${FILE} [a] k: key appears twice in this section`,
      `${FILE} [a] bare: has no value (expected key = value)`,
      `${FILE} [a] list[]: array keys (key[]) are not supported; use a comma-separated list`,
      `${FILE} [a]: section appears twice`,
      `${FILE} [a] [b]: a section header must stand alone on its line`,
    ]);
  });

  it('keeps dotted section names whole, strips comments and quotes', () => {
    const problems = new ProblemList();
    const ini = parseIniText('[a.b]\nx = 1 ; note\ny = "v;w"\nz = \'q\'\n# c\n[a]\nw = 2\n', FILE, problems);
    expect(problems.empty).toBe(true);
    expect([...ini.sections.keys()]).toEqual(['a.b', 'a']);
    expect(Object.fromEntries(ini.sections.get('a.b')!)).toEqual({ x: '1', y: 'v;w', z: 'q' });
    expect(Object.fromEntries(ini.sections.get('a')!)).toEqual({ w: '2' });
    expect(ini.dir).toBe('/etc/rankd');
  });
});
