/**
 * One candidate's features as a gbdt table reads them: every column twice,
 * in slots 2c and 2c + 1, both holding the value, or −∞ and +∞ when the
 * column is missing. A split sends missing values its default way by which
 * of the two slots it reads (gbdt-model-json.ts), so the walk never tests
 * for a missing value. Rows are reused: set the columns a candidate has,
 * score it, then clear them (or put back the user's values).
 */
export class GbdtRow {
  declare readonly columns: number;
  declare readonly slots: Float32Array;

  /** A row of `columns` columns (at least 1: leaves read slot 0), all missing. */
  constructor(columns: number) {
    this.columns = Math.max(columns, 1);
    this.slots = new Float32Array(2 * this.columns);
    for (let c = 0; c < this.columns; c++) this.clear(c);
  }

  /** A row from dense values; null, undefined and NaN are missing. */
  static of(values: ArrayLike<number | null | undefined>, columns = values.length): GbdtRow {
    const row = new GbdtRow(columns);
    for (let c = 0; c < values.length; c++) {
      const v = values[c];
      if (v !== null && v !== undefined && !Number.isNaN(v)) row.set(c, v);
    }
    return row;
  }

  set(column: number, value: number): void {
    this.slots[2 * column] = value;
    this.slots[2 * column + 1] = value;
  }

  clear(column: number): void {
    this.slots[2 * column] = Number.NEGATIVE_INFINITY;
    this.slots[2 * column + 1] = Number.POSITIVE_INFINITY;
  }

  /** Column `column` as `other` has it (a value or missing). */
  copy(column: number, other: GbdtRow): void {
    this.slots[2 * column] = other.slots[2 * column]!;
    this.slots[2 * column + 1] = other.slots[2 * column + 1]!;
  }
}
