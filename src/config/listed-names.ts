import type { ReadContext } from './schema.js';

/**
 * The names of a lab_common_so-style list key (`DBS_NAME=A,B`), in order,
 * empty items dropped; a name listed twice is a problem at that key.
 */
export function listedNames(context: ReadContext, at: { section: string; key: string }, written: string, separator: string): string[] {
  const names: string[] = [];
  for (const name of written.split(separator).map((part) => part.trim())) {
    if (name === '') continue;
    if (names.includes(name)) {
      context.problems.add({ file: context.ini.file, ...at, message: `lists ${JSON.stringify(name)} twice` });
    } else {
      names.push(name);
    }
  }
  return names;
}
