import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCallRequest, decodeCallResponse, encodeCallRequest, encodeCallResponse } from '../../src/rpc/call-codec.js';
import { RequestError } from '../../src/rpc/request-error.js';
import { decodeWith, encodeWith, packed, protobuf } from './reference-proto.js';
import { utf8RoundTrip } from './request-model.js';

const json = fc.oneof(
  fc.json(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary', minLength: 40, maxLength: 400 }),
  fc.constantFrom('', '{"api":"rank"}', '\ud800', 'x\udc00y', '😀'.repeat(20)),
);

describe('call codec against protobufjs', () => {
  it('decodes CallRequest and CallResponse text as protobufjs encodes it', () => {
    // protobufjs writes lone surrogates as invalid UTF-8 (CESU-8 style), so only well-formed text is compared.
    const wellFormed = json.filter((text) => utf8RoundTrip(text) === text);
    fc.assert(
      fc.property(wellFormed, (text) => {
        expect(decodeCallRequest(encodeWith(packed.CallRequest, { json: text }))).toBe(utf8RoundTrip(text));
        expect(decodeCallResponse(encodeWith(packed.CallResponse, { json: text }))).toBe(utf8RoundTrip(text));
      }),
      { numRuns: 500 },
    );
  });

  it('encodes CallResponse and CallRequest text as protobufjs decodes it', () => {
    fc.assert(
      fc.property(json, (text) => {
        const expected = utf8RoundTrip(text);
        expect(decodeWith(packed.CallResponse, encodeCallResponse(text)).json).toBe(expected);
        expect(decodeWith(packed.CallRequest, encodeCallRequest(text)).json).toBe(expected);
        expect(decodeCallRequest(encodeCallRequest(text))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('writes nothing for empty text and reads nothing as empty text', () => {
    expect(encodeCallResponse('').length).toBe(0);
    expect(decodeCallRequest(new Uint8Array(0))).toBe('');
  });

  it('replaces a lone surrogate with U+FFFD, as Buffer and TextEncoder do', () => {
    expect(decodeCallResponse(encodeCallResponse('a\ud800b'))).toBe('a\ufffdb');
    const long = 'é'.repeat(40) + '\udfff';
    expect(encodeCallResponse(long).length).toBe(2 + Buffer.byteLength(long));
  });

  it('skips unknown fields and keeps the last json field', () => {
    const w = protobuf.Writer.create();
    w.uint32((1 << 3) | 2).string('{"api":"a"}');
    w.uint32((2 << 3) | 0).uint32(7);
    w.uint32((3 << 3) | 3).uint32((1 << 3) | 5).fixed32(1).uint32((3 << 3) | 4);
    w.uint32((1 << 3) | 2).string('{"api":"b"}');
    expect(decodeCallRequest(w.finish())).toBe('{"api":"b"}');
  });

  it('refuses malformed bytes with INVALID_ARGUMENT naming the message and offset', () => {
    const refusal = (bytes: number[]) => {
      try {
        decodeCallRequest(Uint8Array.from(bytes));
      } catch (e) {
        expect(e).toBeInstanceOf(RequestError);
        expect((e as RequestError).code).toBe(status.INVALID_ARGUMENT);
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(refusal([0x0a, 0x04, 0x7b, 0x7d])).toBe('malformed CallRequest: length 4 runs past the end (2 left) at byte 1');
    expect(refusal([0x08, 0x01])).toBe('malformed CallRequest: field 1 (json) has wire type 0 at byte 0');
    expect(refusal([0x12])).toBe('malformed CallRequest: truncated varint at byte 1');
  });
});
