/** Wire floats are little-endian; on such hosts they can be copied as bytes. */
export const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
