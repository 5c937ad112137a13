/** What reads return, after the source's `value` format has decoded them. */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** id:score pairs as two aligned columns; ids stay text so 64-bit ids survive. */
export interface RemotePairs {
  ids: string[];
  scores: Float64Array;
}

/** string → string, list → string[], pairs → RemotePairs, json → any JSON value. */
export type RemoteValue = string | string[] | RemotePairs | JsonValue;

/** A stored value as a server returns it, before decoding; null is a miss. */
export type RawValue = string | Buffer | null;
