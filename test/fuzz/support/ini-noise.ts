import fc from 'fast-check';

/**
 * Line noise for ini files: headers and keys a loader knows, mixed with
 * malformed headers, odd keys (prototype names, array keys, quotes,
 * escapes), values of every kind (numbers at and past their limits,
 * quotes, inline comments, escapes, raw binary text), comments, blank
 * lines, a BOM and Unicode line separators. Noise is put into a real file
 * (`withNoise`) or makes up a whole one (`noiseLines`).
 */
export interface Vocabulary {
  sections: string[];
  keys: string[];
  values?: string[];
}

const weirdSections = ['', ' ', 'a.b', '"x.y"', 'a\\.b', '__proto__', 'constructor', 'toString', '[', 'x]y', 'é表', 'a;b', 'a#b'];
const weirdKeys = ['__proto__', 'constructor', 'a[]', '[]', ' ', 'K E Y', 'a.b', '"q"', "'q'", '\\;x', 'é', 'prototype', '-1', '-2', '0-9', '10'];
const commonValues = [
  '', '0', '1', '-1', '2', '5', '9', '44', '35', '200', '65535', '65536', '1e3', '0x10', '0.5', '1.5', '.5', 'NaN', '99999999999999999999',
  'true', 'false', 'null', 'yes', 'off', '"quoted"', "'single'", '"unterminated', 'a;comment', 'a # comment', 'a\\;b', '\\', 'http://x:1',
  'set', 'map', 'kv', 'weights', 'gbdt', 'lr', 'digit', 'hash', 'redis', 'peer', 'http', 'json', 'a, b', 'a,,b', ' , ', 'data/x.txt', '../x', '/abs',
];

function line(v: Vocabulary): fc.Arbitrary<string> {
  const sectionName = fc.oneof(fc.constantFrom(...v.sections), fc.constantFrom(...weirdSections), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/));
  const key = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...v.keys) }, fc.constantFrom(...weirdKeys), fc.stringMatching(/^[a-z_]{1,8}$/));
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...commonValues, ...(v.values ?? [])) },
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.integer().map(String),
  );
  const eq = fc.constantFrom('=', ' = ', '\t=', '==', '= ');
  const raw = fc.string({ unit: 'binary', maxLength: 20 });
  return fc
    .oneof(
      { weight: 2, arbitrary: sectionName.map((s) => `[${s}]`) },
      { weight: 1, arbitrary: fc.tuple(sectionName, fc.constantFrom('[%s', '%s]', ' [%s]', '[%s] tail', '[%s]]', '[[%s]]', '[ %s ]')).map(([s, f]) => f.replace('%s', s)) },
      { weight: 8, arbitrary: fc.tuple(key, eq, value).map(([k, e, x]) => k + e + x) },
      { weight: 1, arbitrary: key },
      { weight: 1, arbitrary: fc.constantFrom('', ' ', '; comment', '# comment', '  ; indented', '=', '= x', '\ufeff', '\u2028', 'k = a\u2028b', 'k = a\u2029') },
      { weight: 1, arbitrary: raw },
    )
    .map((l) => l.replaceAll(/[\r\n]/g, ' '));
}

/** Text for a file, printed in counterexamples as what was put where (not the whole shipped file). */
export interface NoisyText {
  text: string;
}

function noisy(text: string, description: string): NoisyText {
  return { text, [fc.toStringMethod]: () => description } as NoisyText;
}

/** A whole file of noise lines. */
export function noiseLines(v: Vocabulary): fc.Arbitrary<NoisyText> {
  return fc
    .tuple(fc.array(line(v), { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), fc.constantFrom('', '', '\ufeff'))
    .map(([lines, eol, bom]) => {
      const text = bom + lines.join(eol);
      return noisy(text, JSON.stringify(text));
    });
}

/** `text` with noise lines put in among its lines: none (half the time, so valid files stay in the mix), or one to three. */
export function withNoise(text: string, v: Vocabulary): fc.Arbitrary<NoisyText> {
  const lines = text.split('\n');
  return fc
    .tuple(fc.boolean(), fc.array(fc.tuple(fc.nat(), line(v)), { minLength: 1, maxLength: 3 }))
    .map(([clean, noise]) => {
      if (clean) return noisy(text, 'the file as shipped');
      const out = [...lines];
      const put: string[] = [];
      for (const [at, l] of noise) {
        const i = at % (out.length + 1);
        out.splice(i, 0, l);
        put.push(`${JSON.stringify(l)} before line ${i + 1}`);
      }
      return noisy(out.join('\n'), `the file as shipped, with ${put.join(', then ')}`);
    });
}
