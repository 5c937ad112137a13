import fc from 'fast-check';

/**
 * Call bodies for fuzzing, as JSON text: random text, random JSON, objects
 * with every kind of api, and rank bodies whose every field is drawn from
 * valid forms, wrong forms and number spellings JSON allows but values do
 * not fit (1e999, 9007199254740993, -0). `nearJson` damages valid text a
 * character at a time.
 */

/** A JSON value written as text, so number spellings survive (JSON.stringify would normalize them). */
type Json = string;

const obj = (entries: [string, Json][]): Json => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
const arr = (items: Json[]): Json => `[${items.join(',')}]`;
const str = (s: string): Json => JSON.stringify(s);

const anyJson: fc.Arbitrary<Json> = fc.json({ maxDepth: 2 });

const idText: fc.Arbitrary<Json> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('0', '1', '12345', '9007199254740991', '-0', '50', '71') },
  { weight: 10, arbitrary: fc.nat().map(String) },
  { weight: 10, arbitrary: fc.constantFrom('123', '18446744073709551615', '0000000000000000000000012345', '007').map(str) },
  { weight: 10, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((n) => str(String(n))) },
  {
    weight: 10,
    arbitrary: fc.constantFrom('-1', '1.5', '9007199254740993', '1e20', '1e999', 'true', '[]', '{}', '""', '"-5"', '"12a"', '"18446744073709551616"', '"\u0661\u0662"', '" 1"'),
  },
  // Too long to echo whole in a status message; a megabyte of digits (no BigInt of it, please).
  { weight: 1, arbitrary: fc.constantFrom(str('7x'.repeat(50_000)), str('9'.repeat(1_000_000))) },
);

const featureKey = fc.oneof(fc.constantFrom('0', '1', '4294967295', '007', '16000'), fc.nat({ max: 2 ** 32 - 1 }).map(String), fc.constantFrom('-1', '4294967296', 'a', '1.5', '', ' 1', '__proto__'));
const featureValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom('0', '-0', '1', '0.5', '-2.25', '3.4e38', '1e-50'),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => JSON.stringify(x)),
  fc.constantFrom('1e39', '-3.5e38', '1e999', '"1"', 'null', 'true', '[]'),
);
const features: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(featureKey, featureValue), { maxLength: 4 }).map(obj) },
  { weight: 1, arbitrary: fc.constantFrom('null', '[]', '5', '"x"', '[1,2]') },
);

const candidate: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ id: idText, features }, { requiredKeys: ['id'] }).map((c) => obj(Object.entries(c))) },
  { weight: 1, arbitrary: fc.constantFrom('null', '5', '"x"', '[]', '{}', '{"features":{}}') },
);

const candidates: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.array(candidate, { maxLength: 6 }).map(arr) },
  { weight: 1, arbitrary: fc.constantFrom('null', '{}', '"x"', '5') },
);

const topK: fc.Arbitrary<Json> = fc.oneof(fc.constantFrom('0', '1', '3', '-0', '1e300', 'null'), fc.constantFrom('-1', '1.5', '"3"', 'true', '1e999'));

/** A body for the rank work: each field valid or not, present or not, sometimes with junk fields. */
export const rankBody: fc.Arbitrary<Json> = fc
  .record(
    {
      api: fc.constant(str('rank')),
      uid: idText,
      user_features: features,
      candidates,
      top_k: topK,
      explain: fc.constantFrom('true', 'false', '1'),
      request_id: fc.oneof(fc.string({ maxLength: 8 }).map(str), fc.constant('5')),
      junk: anyJson,
    },
    { requiredKeys: ['api'] },
  )
  .map((r) => obj(Object.entries(r)));

const api: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('rank', 'example').map(str) },
  fc.constantFrom('', 'nope', 'constructor', '__proto__', 'toString', 'Rank', ' rank', 'example ').map(str),
  fc.constantFrom('a'.repeat(100_000), '😀'.repeat(20_000)).map(str),
  fc.string({ maxLength: 8 }).map(str),
  fc.constantFrom('null', '1', 'true', '[]', '{}', '["rank"]'),
);

/** Objects with some api (or none) and random fields. */
export const anyBody: fc.Arbitrary<Json> = fc
  .tuple(fc.option(api, { nil: undefined }), fc.array(fc.tuple(fc.string({ maxLength: 6 }), anyJson), { maxLength: 4 }))
  .map(([a, rest]) => obj([...(a === undefined ? [] : [['api', a] as [string, Json]]), ...rest.filter(([k]) => k !== 'api')]));

/** Text that is not JSON, or JSON that is not an object. */
export const notAnObject: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
  anyJson,
  fc.constantFrom('', '{', '{"api":"example",', '[1,2]', 'null', '"rank"', '{"api":"rank"}}', '\ufeff{"api":"example"}', '{"api":"example"}\u0000'),
);

type CharOp = { at: number; op: 'delete' | 'insert' | 'replace'; char: string };
const charOp: fc.Arbitrary<CharOp> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'insert', 'replace'),
  char: fc.oneof(fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '-', 'e', '0', '9', ' ', '\n', 'n'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })),
});

/** JSON text with one to three characters deleted, inserted or replaced: mostly broken, sometimes still valid. */
export function nearJson(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.array(charOp, { minLength: 1, maxLength: 3 })).map(([t, ops]) =>
    ops.reduce((s, { at, op, char }) => {
      const i = at % (s.length + 1);
      return op === 'insert' ? s.slice(0, i) + char + s.slice(i) : s.slice(0, i) + (op === 'replace' ? char : '') + s.slice(i + 1);
    }, t),
  );
}
