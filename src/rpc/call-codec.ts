import { CallField } from './field-numbers.js';
import { ProtoReader } from './proto-reader.js';
import { ProtoWriter, stringFieldSize, utf8Length } from './proto-writer.js';
import { fieldTag, WireType } from './wire-type.js';

/**
 * CallRequest and CallResponse: each is one string field (json = 1). The
 * server decodes requests and encodes responses; clients the reverse.
 * The JSON text itself is parsed and checked by the work, not here.
 */

const TAG_JSON = fieldTag(CallField.Json, WireType.LengthDelimited);

export function decodeCallRequest(bytes: Uint8Array): string {
  return decodeJsonMessage(bytes, 'CallRequest');
}

export function encodeCallResponse(json: string): Uint8Array {
  return encodeJsonMessage(json);
}

export function encodeCallRequest(json: string): Uint8Array {
  return encodeJsonMessage(json);
}

export function decodeCallResponse(bytes: Uint8Array): string {
  return decodeJsonMessage(bytes, 'CallResponse');
}

/** The json field (last one wins, '' when absent); malformed bytes throw INVALID_ARGUMENT. */
function decodeJsonMessage(bytes: Uint8Array, messageName: string): string {
  const r = new ProtoReader(bytes, messageName);
  let json = '';
  while (r.pos < r.limit) {
    const tag = r.readTag();
    if (tag === TAG_JSON) json = r.readString(r.readLength());
    else if (tag >>> 3 === CallField.Json) r.wrongWireType(tag, 'json');
    else r.skipField(tag);
  }
  return json;
}

function encodeJsonMessage(json: string): Uint8Array {
  const byteLength = utf8Length(json);
  if (byteLength === 0) return new Uint8Array(0);
  const w = new ProtoWriter(stringFieldSize(CallField.Json, byteLength));
  w.writeStringField(CallField.Json, json, byteLength);
  return w.finish();
}
