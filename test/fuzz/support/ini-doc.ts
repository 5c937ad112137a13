import fc from 'fast-check';

/**
 * An ini file as a model the fuzz tests build and change: sections in
 * order, each with key = value entries or raw lines (for lines that are not
 * key = value). `renderIni` writes it in one of the many spellings the
 * format allows: spaces around '=', quoted values, inline comments, blank
 * and comment lines, CRLF, no final newline.
 */
export type IniEntry = { key: string; value: string } | { raw: string };

export interface IniSection {
  /** undefined: lines before the first header. */
  name: string | undefined;
  entries: IniEntry[];
}

export type IniDoc = IniSection[];

export function section(name: string | undefined, entries: [string, string][]): IniSection {
  return { name, entries: entries.map(([key, value]) => ({ key, value })) };
}

interface Decoration {
  before: string;
  around: readonly [string, string];
  lead: string;
  quote: string;
  comment: string;
  headerPad: readonly [string, string];
}

const decoration: fc.Arbitrary<Decoration> = fc.record({
  before: fc.constantFrom('', '', '', '\n', '; a comment\n', '# another\n', '   \n', ';\n'),
  around: fc.constantFrom(['', ''] as const, [' ', ' '] as const, ['\t', ' '] as const, ['  ', ''] as const, ['', '\t'] as const),
  lead: fc.constantFrom('', '', ' ', '\t'),
  quote: fc.constantFrom('', '', '', '"', "'"),
  comment: fc.constantFrom('', '', '', ' ; why', ' # why', '\t;x'),
  headerPad: fc.constantFrom(['', ''] as const, [' ', ' '] as const, ['', ' '] as const),
});

/**
 * Value spellings that read back as the same text: quotes around it, or a
 * comment after it (not both: a comment after a quote keeps the quotes).
 * Single quotes only around text that is not JSON: `ini` JSON-parses what
 * is inside them, so '1e5' would read as 100000.
 */
function spell(value: string, d: Decoration): string {
  if (d.quote !== '' && value !== '' && !/["'\\]/.test(value)) {
    const quote = d.quote === "'" && isJson(value) ? '"' : d.quote;
    return `${quote}${value}${quote}`;
  }
  return value + (d.comment !== '' && value !== '' ? d.comment : '');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The file text of `doc`, in a random but equivalent spelling. */
export function renderIni(doc: IniDoc): fc.Arbitrary<string> {
  const lines = doc.reduce((n, s) => n + 1 + s.entries.length, 0);
  return fc
    .tuple(fc.array(decoration, { minLength: lines, maxLength: lines }), fc.constantFrom('\n', '\n', '\r\n'), fc.boolean())
    .map(([decorations, eol, finalNewline]) => {
      let i = 0;
      const out: string[] = [];
      for (const s of doc) {
        const d = decorations[i++]!;
        if (s.name !== undefined) out.push(`${d.before}[${d.headerPad[0]}${s.name}${d.headerPad[1]}]`);
        for (const entry of s.entries) {
          const e = decorations[i++]!;
          out.push('raw' in entry ? entry.raw : `${e.before}${e.lead}${entry.key}${e.around[0]}=${e.around[1]}${spell(entry.value, e)}`);
        }
      }
      return out.join('\n').replaceAll('\n', eol) + (finalNewline ? eol : '');
    });
}

/** The doc with `entry` added to section `name` (created at the end when missing). */
export function withEntry(doc: IniDoc, name: string | undefined, entry: IniEntry): IniDoc {
  const at = doc.findIndex((s) => s.name === name);
  if (at < 0) return name === undefined ? [{ name, entries: [entry] }, ...doc] : [...doc, { name, entries: [entry] }];
  return doc.map((s, i) => (i === at ? { ...s, entries: [...s.entries, entry] } : s));
}

/** The doc without key `key` of section `name`. */
export function withoutKey(doc: IniDoc, name: string, key: string): IniDoc {
  return doc.map((s) => (s.name === name ? { ...s, entries: s.entries.filter((e) => !('key' in e) || e.key !== key) } : s));
}

/** The doc with key `key` of section `name` set to `value` (added when missing). */
export function withValue(doc: IniDoc, name: string, key: string, value: string): IniDoc {
  return withEntry(withoutKey(doc, name, key), name, { key, value });
}

/** The written keys, as [section, key] pairs. */
export function writtenKeys(doc: IniDoc): [string, string][] {
  return doc.flatMap((s) => (s.name === undefined ? [] : s.entries.flatMap((e) => ('key' in e ? [[s.name!, e.key] as [string, string]] : []))));
}

/** Decimal text of an integer, in spellings the schema reads as it: 42, +42, 0042. */
export function intText(value: number): fc.Arbitrary<string> {
  return fc.constantFrom(String(value), `+${value}`, `00${value}`, String(value), String(value));
}
