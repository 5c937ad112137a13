import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Long from 'long';
import protobuf from 'protobufjs';

/**
 * The independent reference for the hand-written codecs: protobufjs reading
 * the same rankd.proto. `unpacked` is the same schema with every repeated
 * number marked [packed = false], to produce the other legal wire form.
 */

// Without Long, protobufjs reads uint64 as lossy numbers.
protobuf.util.Long = Long;
protobuf.configure();

const protoPath = fileURLToPath(new URL('../../src/rpc/rankd.proto', import.meta.url));
const protoText = readFileSync(protoPath, 'utf8');

const packedRoot = protobuf.loadSync(protoPath);
const unpackedRoot = protobuf.parse(
  protoText.replace(/(repeated (?:uint32|float|double) \w+ = \d+)\s*;/g, '$1 [packed = false];'),
).root;

function types(root: protobuf.Root) {
  const type = (name: string) => root.lookupType(`rankd.v1.${name}`);
  return {
    RankRequest: type('RankRequest'),
    Candidate: type('Candidate'),
    RankResponse: type('RankResponse'),
    ScoredItem: type('ScoredItem'),
    CallRequest: type('CallRequest'),
    CallResponse: type('CallResponse'),
  };
}

export const packed = types(packedRoot);
export const unpacked = types(unpackedRoot);

export function toLong(v: bigint): Long {
  return Long.fromString(v.toString(), true);
}

/** A protobufjs uint64 (Long, or number for small values) as a bigint. */
export function fromLong(v: unknown): bigint {
  if (v === undefined || v === null) return 0n;
  return BigInt((v as { toString(): string }).toString());
}

export function encodeWith(type: protobuf.Type, message: Record<string, unknown>): Uint8Array {
  return type.encode(type.fromObject(message)).finish();
}

export function decodeWith(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  return type.toObject(type.decode(bytes), { longs: String, defaults: true, arrays: true }) as Record<string, unknown>;
}

export { protobuf, Long };
