import { openTable } from '../../globaldb/open-table.js';
import type { AnyTable, KvTable, MapTable, SetTable, TableImage, TableKind, WeightsTable } from '../../globaldb/table.js';
import type { RemoteState } from './generation-message.js';
import type { GlobalTables } from './work.js';

/** One generation's tables as seen from a pool thread: views opened on first use. */
export class BoundTables implements GlobalTables {
  private readonly opened = new Map<string, AnyTable>();

  constructor(
    readonly generation: number,
    private readonly images: Readonly<Record<string, TableImage>>,
    /** The remote sources of this generation (the task runner keeps its clients in step). */
    readonly remote: RemoteState = { version: 0, specs: [] },
  ) {}

  has(name: string): boolean {
    return Object.hasOwn(this.images, name);
  }

  table(name: string): AnyTable {
    let t = this.opened.get(name);
    if (t === undefined) {
      const image = this.images[name];
      if (image === undefined) throw new Error(`no global table "${name}" (tables: ${Object.keys(this.images).join(', ') || 'none'})`);
      t = openTable(image) as AnyTable;
      this.opened.set(name, t);
    }
    return t;
  }

  set(name: string): SetTable {
    return this.ofKind(name, 'set') as SetTable;
  }

  map(name: string): MapTable {
    return this.ofKind(name, 'map') as MapTable;
  }

  kv(name: string): KvTable {
    return this.ofKind(name, 'kv') as KvTable;
  }

  weights(name: string): WeightsTable {
    return this.ofKind(name, 'weights') as WeightsTable;
  }

  private ofKind(name: string, kind: TableKind): AnyTable {
    const t = this.table(name);
    if (t.kind !== kind) throw new Error(`global table "${name}" is a ${t.kind}, not a ${kind}`);
    return t;
  }
}
