/** Protobuf wire types: the low 3 bits of a field tag. */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

/** A field tag as it appears on the wire, for `switch` cases in codecs. */
export function fieldTag(field: number, wireType: number): number {
  return ((field << 3) | wireType) >>> 0;
}
