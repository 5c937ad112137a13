import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ValueFormatError, valueDecoder } from '../../src/remote/value-decoder.js';

describe('value decoders', () => {
  const string = valueDecoder({ kind: 'string' }, 'none');
  const list = valueDecoder({ kind: 'list', separator: ',' }, 'none');
  const pairs = valueDecoder({ kind: 'pairs', separator: ',', scoreSeparator: ':' }, 'none');
  const json = valueDecoder({ kind: 'json' }, 'none');

  it('reads strings from text and from bytes (UTF-8)', () => {
    expect(string('héllo')).toBe('héllo');
    expect(string(Buffer.from('héllo'))).toBe('héllo');
    expect(string('')).toBe('');
  });

  it('splits lists, dropping empty items', () => {
    expect(list('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(list('18446744073709551615,7,')).toEqual(['18446744073709551615', '7']);
    expect(list('')).toEqual([]);
    expect(valueDecoder({ kind: 'list', separator: '\t' }, 'none')('x\ty')).toEqual(['x', 'y']);
  });

  it('reads id:score pairs into aligned columns, ids as text', () => {
    const value = pairs('18446744073709551615:0.5,9:-2.5e-3,a:b:1');
    expect(value).toEqual({ ids: ['18446744073709551615', '9', 'a:b'], scores: Float64Array.from([0.5, -0.0025, 1]) });
    expect(pairs('')).toEqual({ ids: [], scores: new Float64Array(0) });
    const semicolons = valueDecoder({ kind: 'pairs', separator: ';', scoreSeparator: '=' }, 'none');
    expect(semicolons('1=2;3=4')).toEqual({ ids: ['1', '3'], scores: Float64Array.from([2, 4]) });
  });

  it('refuses pairs without a numeric score, naming the pair', () => {
    for (const bad of ['7', '7:', ':0.5', '7:abc', '1:1,2:x']) {
      expect(() => pairs(bad), bad).toThrow(ValueFormatError);
    }
    expect(() => pairs('1:1,2:x')).toThrow('pair 2 "2:x" is not id:score');
  });

  it('parses JSON and refuses what is not', () => {
    expect(json('{"ctr":0.25,"tags":["a"]}')).toEqual({ ctr: 0.25, tags: ['a'] });
    expect(json('null')).toBeNull();
    expect(() => json('{oops')).toThrow(/is not JSON/);
  });

  it('inflates zlib and gzip values before decoding, whatever the format', () => {
    const text = '{"ctr":0.25}';
    const zjson = valueDecoder({ kind: 'json' }, 'zlib');
    expect(zjson(deflateSync(text))).toEqual({ ctr: 0.25 });
    expect(zjson(gzipSync(text))).toEqual({ ctr: 0.25 });
    expect(valueDecoder({ kind: 'pairs', separator: ',', scoreSeparator: ':' }, 'zlib')(deflateSync('1:2'))).toEqual({
      ids: ['1'],
      scores: Float64Array.from([2]),
    });
    expect(() => zjson(Buffer.from(text))).toThrow(/is not zlib-compressed/);
  });
});
