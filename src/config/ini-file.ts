import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as ini from 'ini';
import { ConfigError, type ProblemList } from './config-error.js';

/** An ini file as sections of string values, before any schema gives them types. */
export interface IniFile {
  /** Absolute path. */
  file: string;
  /** The folder relative paths in the file resolve against. */
  dir: string;
  /** Sections in file order; values unquoted, inline comments stripped (by the `ini` package). */
  sections: Map<string, Map<string, string>>;
}

// The `ini` package's own line grammar, so our checks see lines exactly as it does.
const LINE = /^\[([^\]]*)\]\s*$|^([^=]+)(=(.*))?$/i;
const SKIPPED = /^\s*([;#]|$)/;
const NO_KEY = 'a line without a key (expected key = value)';
const LINE_SEPARATOR = 'a line holding U+2028 or U+2029 (a Unicode line separator): the ini reader would drop it';

/** Reads and parses `file`: throws ConfigError if it cannot be read; malformed lines go to `problems`. */
export function readIniFile(file: string, problems: ProblemList): IniFile {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file: path, message: `cannot read: ${(err as Error).message}` }]);
  }
  return parseIniText(text, path, problems);
}

/**
 * The `ini` package keeps the last of repeated keys, merges repeated sections
 * and takes keys before the first section: all silent ways for a typo to win.
 * A scan of the lines reports those; values then come from `ini.parse`.
 */
export function parseIniText(text: string, file: string, problems: ProblemList): IniFile {
  // Windows editors start UTF-8 files with a byte order mark; left in, it glues onto the first section header.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sections = new Map<string, Map<string, string>>();
  const lines = text.split(/[\r\n]+/g);
  let section: string | undefined;
  for (const line of lines) {
    if (SKIPPED.test(line)) continue;
    const match = LINE.exec(line);
    const here = { file, ...(section === undefined ? {} : { section }) };
    // `ini.parse` drops a line it cannot match without a word: "= value", or a
    // value cut by U+2028/U+2029 (which `.` does not match). Say so instead.
    if (!match) {
      problems.add({ ...here, message: /[\u2028\u2029]/.test(line) ? LINE_SEPARATOR : NO_KEY });
      continue;
    }
    if (match[1] !== undefined) {
      section = ini.unsafe(match[1]);
      if (sections.has(section)) problems.add({ file, section, message: 'section appears twice' });
      else sections.set(section, new Map());
      continue;
    }
    const key = ini.unsafe(match[2]!);
    const at = { ...here, key };
    if (key === '') problems.add({ ...here, message: NO_KEY });
    else if (key.startsWith('[')) problems.add({ ...at, message: 'a section header must stand alone on its line' });
    else if (section === undefined) problems.add({ ...at, message: 'key before the first [section]' });
    else if (match[3] === undefined) problems.add({ ...at, message: 'has no value (expected key = value)' });
    else if (key.endsWith('[]')) problems.add({ ...at, message: 'array keys (key[]) are not supported; use a comma-separated list' });
    else if (sections.get(section)!.has(key)) problems.add({ ...at, message: 'key appears twice in this section' });
    else sections.get(section)!.set(key, '');
  }

  // Escaped dots keep "[a.b]" one section named "a.b" instead of ini's nested a → b.
  const escaped = lines.map((line) => line.replace(/^\[([^\]]*)\]\s*$/, (_, name: string) => `[${name.replace(/\./g, '\\.')}]`));
  const parsed = ini.parse(escaped.join('\n'));
  for (const [name, keys] of sections) {
    const values = (parsed[name] ?? {}) as Record<string, unknown>;
    for (const key of keys.keys()) {
      const value = values[key];
      keys.set(key, value === undefined ? '' : String(value));
    }
  }
  return { file, dir: dirname(file), sections };
}
