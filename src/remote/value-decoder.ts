/**
 * Stored values → JS values, per a source's `value` and `compress` settings.
 * A value that does not fit its format throws ValueFormatError; the source
 * turns that into a RemoteError naming the key.
 */
import { unzipSync } from 'node:zlib';
import type { RemotePairs, RemoteValue } from './remote-value.js';
import type { Compression, ValueFormat } from './source-spec.js';

export class ValueFormatError extends Error {}

export type ValueDecoder = (raw: string | Buffer) => RemoteValue;

/** Compressed values must reach the decoder as bytes: shards ask for Buffers when this is true. */
export function decoderNeedsBytes(compress: Compression): boolean {
  return compress !== 'none';
}

/** Plain strings, uncompressed: stored text is the value, so a read can skip decoding text values. */
export function decodesToItself(format: ValueFormat, compress: Compression): boolean {
  return format.kind === 'string' && compress === 'none';
}

export function valueDecoder(format: ValueFormat, compress: Compression): ValueDecoder {
  const decodeText = textDecoder(format);
  if (compress === 'none') return (raw) => decodeText(typeof raw === 'string' ? raw : raw.toString('utf8'));
  return (raw) => {
    let text: string;
    try {
      // unzip reads zlib and gzip streams alike, whichever the writer used.
      text = unzipSync(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw).toString('utf8');
    } catch (err) {
      throw new ValueFormatError(`is not zlib-compressed (${(err as Error).message})`);
    }
    return decodeText(text);
  };
}

function textDecoder(format: ValueFormat): (text: string) => RemoteValue {
  switch (format.kind) {
    case 'string':
      return (text) => text;
    case 'list':
      return (text) => splitList(text, format.separator);
    case 'pairs':
      return (text) => splitPairs(text, format.separator, format.scoreSeparator);
    case 'json':
      return (text) => {
        try {
          return JSON.parse(text) as RemoteValue;
        } catch (err) {
          throw new ValueFormatError(`is not JSON (${(err as Error).message})`);
        }
      };
  }
}

/** Empty items are dropped, so "" is [] and a trailing separator is harmless. */
function splitList(text: string, separator: string): string[] {
  if (text === '') return [];
  const items = text.split(separator);
  return items.includes('') ? items.filter((item) => item !== '') : items;
}

function splitPairs(text: string, separator: string, scoreSeparator: string): RemotePairs {
  const items = splitList(text, separator);
  const ids = new Array<string>(items.length);
  const scores = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    // The last separator splits, so ids may contain it ("a:b:0.5" → "a:b", 0.5).
    const at = item.lastIndexOf(scoreSeparator);
    const score = at > 0 ? Number(item.slice(at + scoreSeparator.length)) : NaN;
    if (at <= 0 || item.length === at + scoreSeparator.length || !Number.isFinite(score)) {
      throw new ValueFormatError(`pair ${i + 1} ${JSON.stringify(item)} is not id${scoreSeparator}score`);
    }
    ids[i] = item.slice(0, at);
    scores[i] = score;
  }
  return { ids, scores };
}
