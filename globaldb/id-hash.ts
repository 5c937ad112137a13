/**
 * Where an id's probe sequence starts.
 *
 * The halves are folded (hi pre-multiplied so ids that differ only in the
 * high word still spread), then one xorshift-multiply round makes the HIGH
 * bits depend on every input bit: the slot is taken from the high bits with Lemire's
 * multiply-shift ("fastrange"), which lets the capacity be any number instead
 * of a power of two — that keeps the load factor near its target at every
 * size, which is most of the memory saving.
 *
 * The product is a double; for capacity < 2^32 its rounding never reaches
 * `capacity`, and builder and readers run this same expression, so every
 * thread agrees on it. Kept small on purpose: V8 only inlines lookups whose
 * whole call tree stays under a bytecode budget.
 */
export function homeSlot(lo: number, hi: number, scale: number): number {
  const h = lo ^ Math.imul(hi, 0x9e3779b1);
  return (Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0) * scale >>> 0;
}

/** `capacity / 2^32`: multiplying a uint32 hash by it gives a slot in [0, capacity). */
export function slotScale(capacity: number): number {
  return capacity / 4294967296;
}
