/**
 * Declarative ini schemas: a section is an object of fields, one per key,
 * each with a type, a range and a default (or required/optional). Reading a
 * section checks every key against its field and reports unknown keys, so a
 * new section is declared, not parsed by hand.
 *
 *   const server = { queryPort: port().default(21345), token: string().optional().env('TOKEN') };
 *   const values = readSection(context, 'server', server); // { queryPort: number; token: string | undefined }
 *
 * The ini key of a field is its property name in snake_case (`queryPort` →
 * `query_port`) unless `.key('DB_TYPE')` names it. An empty value counts as
 * not given.
 */
import { resolve } from 'node:path';
import { closestName } from './closest-name.js';
import type { ProblemList } from './config-error.js';
import type { IniFile } from './ini-file.js';

/** What a read needs besides the schema. */
export interface ReadContext {
  ini: IniFile;
  env: NodeJS.ProcessEnv;
  problems: ProblemList;
}

/**
 * A converter's complaint, completed by the reader with the location and the
 * raw value: `throw new BadValue('is not a port (1-65535)')`.
 */
export class BadValue extends Error {}

type Presence<T> =
  | { kind: 'required' }
  | { kind: 'optional' }
  /** `text` is the default as one would write it, for `map`. */
  | { kind: 'default'; value: (dir: string) => T; text: string };

type Convert<T> = (raw: string, dir: string) => T;

export class Field<T> {
  constructor(
    /** What a good value looks like: "a port (1-65535)". */
    readonly description: string,
    private readonly convert: Convert<T>,
    private readonly presence: Presence<T> = { kind: 'required' },
    /** The ini key, when it is not the property name in snake_case. */
    readonly iniKey?: string,
    /** An environment variable that overrides the file when set and not empty. */
    readonly envName?: string,
    /** Defaults get the same treatment as file values where that matters (relative paths). */
    private readonly adoptDefault: (value: T, dir: string) => T = (value) => value,
  ) {}

  default(value: T): Field<T> {
    const presence: Presence<T> = { kind: 'default', value: (dir) => this.adoptDefault(value, dir), text: String(value) };
    return new Field(this.description, this.convert, presence, this.iniKey, this.envName, this.adoptDefault);
  }

  optional(): Field<T | undefined> {
    return new Field<T | undefined>(this.description, this.convert, { kind: 'optional' }, this.iniKey, this.envName);
  }

  key(name: string): Field<T> {
    return new Field(this.description, this.convert, this.presence, name, this.envName, this.adoptDefault);
  }

  env(name: string): Field<T> {
    return new Field(this.description, this.convert, this.presence, this.iniKey, name, this.adoptDefault);
  }

  /**
   * A further conversion of the value, given also the text it came from. It
   * applies to a default set before it (with the default's text), not to one
   * set after it.
   */
  map<U>(convert: (value: T, raw: string) => U): Field<U> {
    const presence: Presence<U> =
      this.presence.kind === 'default'
        ? { kind: 'default', value: mapDefault(this.presence, convert), text: this.presence.text }
        : this.presence;
    return new Field<U>(this.description, (raw, dir) => convert(this.convert(raw, dir), raw), presence, this.iniKey, this.envName);
  }

  /** The typed value, or undefined after reporting a problem (the caller throws before anyone sees it). */
  read(context: ReadContext, section: string, key: string, written: string | undefined): T {
    const at = { file: context.ini.file, section, key };
    const fromEnv = this.envName === undefined ? undefined : context.env[this.envName];
    const [raw, source] = fromEnv ? [fromEnv, ` (from environment ${this.envName})`] : [written, ''];
    if (raw !== undefined && raw.trim() !== '') {
      try {
        return this.convert(raw.trim(), context.ini.dir);
      } catch (err) {
        if (!(err instanceof BadValue)) throw err;
        context.problems.add({ ...at, message: `${JSON.stringify(raw)}${source} ${err.message}` });
        return undefined as T;
      }
    }
    switch (this.presence.kind) {
      case 'default':
        return this.presence.value(context.ini.dir);
      case 'optional':
        return undefined as T;
      case 'required':
        context.problems.add({ ...at, message: `missing: this key is required (${this.description})` });
        return undefined as T;
    }
  }
}

function mapDefault<T, U>(presence: { value: (dir: string) => T; text: string }, convert: (value: T, raw: string) => U) {
  return (dir: string): U => convert(presence.value(dir), presence.text);
}

/** A field per property of T. */
export type SectionSchema<T> = { [K in keyof T]-?: Field<T[K]> };

/** A section per property of T, named like the property. */
export type FileSchema<T> = { [K in keyof T]-?: SectionSchema<T[K]> };

/** Reads one section (absent: all defaults), reporting unknown keys. */
export function readSection<T>(context: ReadContext, section: string, schema: SectionSchema<T>): T {
  const written = context.ini.sections.get(section) ?? new Map<string, string>();
  const keyOf = (property: string): string => schema[property as keyof T].iniKey ?? snakeCase(property);
  const known = Object.keys(schema).map(keyOf);
  for (const key of written.keys()) {
    if (known.includes(key)) continue;
    const guess = closestName(key, known);
    const hint = guess !== undefined ? `did you mean ${guess}?` : `known keys: ${known.join(', ')}`;
    context.problems.add({ file: context.ini.file, section, key, message: `unknown key (${hint})` });
  }
  const values: Record<string, unknown> = {};
  for (const property of Object.keys(schema)) {
    const key = keyOf(property);
    values[property] = schema[property as keyof T].read(context, section, key, written.get(key));
  }
  return values as T;
}

/** Reads a file of fixed sections; a section the schema does not name is a problem. */
export function readSections<T>(context: ReadContext, schema: FileSchema<T>): T {
  reportUnknownSections(context, Object.keys(schema));
  const values: Record<string, unknown> = {};
  for (const section of Object.keys(schema)) {
    values[section] = readSection(context, section, schema[section as keyof T] as SectionSchema<unknown>);
  }
  return values as T;
}

export function reportUnknownSections(context: ReadContext, known: readonly string[]): void {
  for (const section of context.ini.sections.keys()) {
    if (known.includes(section)) continue;
    const guess = closestName(section, known);
    const hint = guess !== undefined ? `did you mean [${guess}]?` : `known sections: ${known.map((name) => `[${name}]`).join(', ')}`;
    const keys = [...context.ini.sections.get(section)!.keys()];
    const holding = keys.length > 0 ? `; its keys: ${keys.join(', ')}` : '';
    context.problems.add({ file: context.ini.file, section, message: `unknown section (${hint})${holding}` });
  }
}

function snakeCase(property: string): string {
  return property.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

// ---- field types ----------------------------------------------------------

interface Range {
  min?: number;
  max?: number;
}

function rangeText({ min, max }: Range): string {
  if (min !== undefined && max !== undefined) return ` (${min}-${max})`;
  if (min !== undefined) return ` (>= ${min})`;
  if (max !== undefined) return ` (<= ${max})`;
  return '';
}

function inRange(value: number, { min, max }: Range): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

function integerField(description: string, range: Range): Field<number> {
  return new Field(description, (raw) => {
    const value = /^[+-]?\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || !inRange(value, range)) throw new BadValue(`is not ${description}`);
    return value;
  });
}

/** A whole number. */
export function int(range: Range = {}): Field<number> {
  return integerField(`an integer${rangeText(range)}`, range);
}

/** A decimal number, e.g. a fraction. */
export function number(range: Range = {}): Field<number> {
  const description = `a number${rangeText(range)}`;
  return new Field(description, (raw) => {
    const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isFinite(value) || !inRange(value, range)) throw new BadValue(`is not ${description}`);
    return value;
  });
}

/** A TCP port. */
export function port(): Field<number> {
  return integerField('a port (1-65535)', { min: 1, max: 65535 });
}

/** Whole milliseconds. */
export function durationMs(range: Range = { min: 0 }): Field<number> {
  return integerField(`a duration in milliseconds${rangeText(range)}`, range);
}

export function string(): Field<string> {
  return new Field('a string', (raw) => raw);
}

/** A file or folder; a relative one is resolved against the ini file's folder. */
export function path(): Field<string> {
  return new Field(
    "a path, relative to the ini file's folder",
    (raw, dir) => resolve(dir, raw),
    undefined,
    undefined,
    undefined,
    (value, dir) => resolve(dir, value),
  );
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

export function bool(): Field<boolean> {
  const description = 'a boolean (true/false, yes/no, on/off, 1/0)';
  return new Field(description, (raw) => {
    const word = raw.toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
    throw new BadValue(`is not ${description}`);
  });
}

/** Comma-separated items, trimmed; empty items are dropped. */
export function list(separator = ','): Field<string[]> {
  return new Field(`a list separated by ${JSON.stringify(separator)}`, (raw) =>
    raw
      .split(separator)
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}

/**
 * One of a set of words (case-insensitive). Given a record, several spellings
 * map to one value: `oneOf({ '1': 'set', set: 'set' })`.
 */
export function oneOf<const V extends string>(choices: readonly V[] | Readonly<Record<string, V>>): Field<V> {
  const spellings: Record<string, V> = Array.isArray(choices)
    ? Object.fromEntries(choices.map((choice) => [choice, choice]))
    : (choices as Readonly<Record<string, V>>);
  const byLowerCase = new Map(Object.entries(spellings).map(([word, value]) => [word.toLowerCase(), value]));
  const description = `one of ${Object.keys(spellings).join(', ')}`;
  return new Field(description, (raw) => {
    const value = byLowerCase.get(raw.toLowerCase());
    if (value === undefined) throw new BadValue(`is not ${description}`);
    return value;
  });
}

/**
 * A character given by its decimal code, lab_common_so's way of writing
 * separators (9 = tab, 44 = comma). `forbidden` lists characters that cannot
 * work in that role.
 */
export function charCode(forbidden = ''): Field<string> {
  const description = 'a decimal character code (e.g. 9 for tab, 44 for comma)';
  return new Field(description, (raw) => {
    const code = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(code) || code < 1 || code > 0x10ffff) throw new BadValue(`is not ${description}`);
    const char = String.fromCodePoint(code);
    if (forbidden.includes(char)) throw new BadValue(`is ${JSON.stringify(char)}, which cannot be used here`);
    return char;
  });
}
