import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvBuilder } from '../../globaldb/kv-builder.js';
import { MapBuilder } from '../../globaldb/map-builder.js';
import { SetBuilder } from '../../globaldb/set-builder.js';
import type { TableImage } from '../../globaldb/table.js';
import { threadScript } from '../../src/pool/thread-script.js';
import { randomIds } from './random-ids.js';
import type { ReaderReply, ReaderRequest } from './table-reader-thread.js';

/** A reader thread with one request in flight at a time. */
class Reader {
  private readonly worker = new Worker(fileURLToPath(threadScript(import.meta.url, './table-reader-thread.js')));

  ask(request: ReaderRequest): Promise<ReaderReply> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.worker.once('error', onError);
      this.worker.once('message', (reply: ReaderReply) => {
        this.worker.off('error', onError);
        resolve(reply);
      });
      this.worker.postMessage(request);
    });
  }

  async values(ids: string[]): Promise<ReaderReply & { type: 'values' }> {
    const r = await this.ask({ type: 'get', ids });
    if (r.type !== 'values') throw new Error(`unexpected reply ${r.type}`);
    return r;
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

const ids = [...randomIds(50_000, 11), 0n, 1n, 2n ** 53n, 2n ** 64n - 1n];
const sample = [...ids.filter((_, i) => i % 500 === 0), 0n, 2n ** 64n - 1n, 12345n].map(String);
let readers: Reader[];

beforeAll(() => {
  readers = [new Reader(), new Reader()];
});

afterAll(async () => {
  await Promise.all(readers.map((r) => r.stop()));
});

describe('a table built in one thread, read from two others', () => {
  it('both threads see the same map values as the builder', async () => {
    const b = new MapBuilder('shared');
    ids.forEach((id, i) => b.add(id, i));
    const t = b.build();
    for (const r of readers) {
      expect(await r.ask({ type: 'open', image: t.image })).toEqual({ type: 'opened', kind: 'map', size: t.size, bytes: t.bytes });
    }
    const want = sample.map((id) => t.get(id) ?? null);
    expect(want.filter((v) => v !== null).length).toBeGreaterThan(100);
    for (const r of readers) expect((await r.values(sample)).values).toEqual(want);
  });

  it('the memory is shared, not copied: a write by one thread is read by the other and by the builder', async () => {
    const b = new MapBuilder('poked');
    ids.forEach((id, i) => b.add(id, i));
    const t = b.build();
    const image: TableImage = t.image;
    await Promise.all(readers.map((r) => r.ask({ type: 'open', image })));
    const id = String(ids[777]);
    expect((await readers[1]!.values([id])).values).toEqual([777]);

    // Thread 0 writes after both threads received the image: thread 1 can only see it through shared memory.
    expect(await readers[0]!.ask({ type: 'poke', id, value: 424242 })).toEqual({ type: 'poked', found: true });
    expect((await readers[1]!.values([id])).values).toEqual([424242]);
    expect(t.get(id)).toBe(424242);
  });

  it('sets and kv tables too', async () => {
    const s = new SetBuilder('set');
    const kv = new KvBuilder('kv');
    ids.forEach((id, i) => {
      if (i % 2 === 0) s.add(id);
      kv.add(id, `v${i}`);
    });
    const set = s.build();
    const kvt = kv.build();
    for (const [table, want] of [
      [set.image, sample.map((id) => set.has(id))],
      [kvt.image, sample.map((id) => kvt.getString(id) ?? null)],
    ] as const) {
      for (const r of readers) {
        await r.ask({ type: 'open', image: table });
        expect((await r.values(sample)).values).toEqual(want);
      }
    }
  });
});
