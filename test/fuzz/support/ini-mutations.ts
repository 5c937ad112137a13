import fc from 'fast-check';
import { type IniDoc, withEntry, writtenKeys } from './ini-doc.js';

/**
 * Changes to the shape of a valid ini file that every config loader must
 * refuse, each with where its one problem is: a key twice, a section twice,
 * a key before any section, a key without '=', a line without a key, a
 * header followed by text, an array key, a value cut by a Unicode line
 * separator (which the `ini` package silently drops with its line).
 */
export interface IniMutation {
  what: string;
  doc: IniDoc;
  section: string | undefined;
  key?: string;
}

const freshKey = fc.stringMatching(/^[a-z][a-z_]{0,7}$/).map((k) => `zz_${k}`);

export function structuralMutation(doc: IniDoc): fc.Arbitrary<IniMutation> {
  const named = doc.flatMap((s) => (s.name === undefined ? [] : [s.name]));
  const keys = writtenKeys(doc);
  if (named.length === 0) throw new Error('structuralMutation needs a doc with a section');
  const inSection = fc.constantFrom(...named);
  const raw = (what: string, line: string, key?: string) =>
    inSection.map((name): IniMutation => ({ what, doc: withEntry(doc, name, { raw: line }), section: name, key }));
  const options: fc.Arbitrary<IniMutation>[] = [
    inSection.map((name) => ({ what: 'a section twice', doc: [...doc, { name, entries: [] }], section: name })),
    freshKey.map((key) => ({ what: 'a key before any section', doc: withEntry(doc, undefined, { key, value: '1' }), section: undefined, key })),
    freshKey.chain((key) => raw('a key without "="', key, key)),
    fc.constantFrom('= 5', '=', ' = x', '==').chain((line) => raw('a line without a key', line)),
    fc.tuple(inSection, freshKey).chain(([other, k]) => raw('a header with text after it', `[${other}] ${k} = 1`, `[${other}] ${k}`)),
    freshKey.chain((key) => raw('an array key', `${key}[] = 1`, `${key}[]`)),
    fc.tuple(freshKey, fc.constantFrom('\u2028', '\u2029')).chain(([key, sep]) => raw('a value with a Unicode line separator', `${key} = a${sep}b`)),
  ];
  if (keys.length > 0) {
    options.push(
      fc.constantFrom(...keys).map(([name, key]) => {
        const entry = doc.find((s) => s.name === name)!.entries.find((e) => 'key' in e && e.key === key)!;
        return { what: 'a key twice', doc: withEntry(doc, name, entry), section: name, key };
      }),
    );
  }
  return fc.oneof(...options);
}
