/**
 * What a work sees as `ctx.remote`: a property per source, bound to the
 * request's deadline, and `fetch` to read several sources in parallel.
 *
 *   const features = await ctx.remote.item_features.mget(batch.itemIds);
 *   const { history, recent } = await ctx.remote.fetch({
 *     history: [userId],                                  // source "history"
 *     recent: { source: 'history', keys: [`r${userId}`] }, // the same source again
 *   });
 *
 * A source with required = false reads as misses when it fails (the failure
 * goes to the pool's log); a required source's failure rejects with a
 * RemoteError, which fails the call unless the work catches it.
 */
import { RemoteError } from './remote-error.js';
import type { RemoteKey } from './remote-key.js';
import type { RemoteSource } from './remote-source.js';
import type { RemoteValue } from './remote-value.js';

/** One source, for one request. `T` narrows the value type (asserted, not checked: it follows the source's `value`). */
export interface SourceReader {
  get<T extends RemoteValue = RemoteValue>(key: RemoteKey): Promise<T | null>;
  mget<T extends RemoteValue = RemoteValue>(keys: readonly RemoteKey[]): Promise<(T | null)[]>;
}

/** Keys of the source named like the property, or keys of a named source (to read one source several times). */
export type FetchRead = readonly RemoteKey[] | { readonly source: string; readonly keys: readonly RemoteKey[] };

export type FetchResult<R> = { -readonly [K in keyof R]: (RemoteValue | null)[] };

export interface RemoteFetch {
  /** Reads every entry in parallel; resolves when all are in, with values aligned with each entry's keys. */
  fetch<R extends Readonly<Record<string, FetchRead>>>(reads: R): Promise<FetchResult<R>>;
}

/** `ctx.remote`: `fetch`, and a SourceReader per source of db_config.ini. */
export type RemoteAccess = RemoteFetch & { readonly [source: string]: SourceReader };

/** Where a request's readers find the current source of a name (it may be replaced by UpdateDb meanwhile). */
export interface SourceLookup {
  /** Throws naming the known sources when there is none of that name. */
  current(name: string): RemoteSource;
  names(): string[];
}

/** One finished read through ctx.remote, for metrics. */
export interface ReadObservation {
  source: string;
  keys: number;
  seconds: number;
  /** Set when the read failed (for an optional source, it then gave misses). */
  error: Error | undefined;
}

export interface ReadHooks {
  /** A source with required = false failed; the read gives misses. */
  onOptionalFailure(error: RemoteError): void;
  /** Every read, when set (costs two clock reads per read). */
  onRead: ((read: ReadObservation) => void) | undefined;
}

class RequestSourceReader implements SourceReader {
  constructor(
    private readonly lookup: SourceLookup,
    private readonly name: string,
    private readonly deadline: number,
    private readonly hooks: ReadHooks,
  ) {}

  get<T extends RemoteValue = RemoteValue>(key: RemoteKey): Promise<T | null> {
    return this.guarded(1, (source) => source.get(key, this.deadline), () => null) as Promise<T | null>;
  }

  mget<T extends RemoteValue = RemoteValue>(keys: readonly RemoteKey[]): Promise<(T | null)[]> {
    return this.guarded(
      keys.length,
      (source) => source.mget(keys, this.deadline),
      () => new Array<null>(keys.length).fill(null),
    ) as Promise<(T | null)[]>;
  }

  /** The read, observed, with an optional source's failure turned into misses. */
  private guarded<V>(keys: number, read: (source: RemoteSource) => Promise<V>, misses: () => V): Promise<V> {
    let source: RemoteSource;
    try {
      // Looked up per read: a read after UpdateDb goes to the new clients.
      source = this.lookup.current(this.name);
    } catch (err) {
      return Promise.reject(err);
    }
    const observe = this.hooks.onRead;
    if (observe === undefined && source.spec.required) return read(source); // nothing to add
    const started = observe === undefined ? 0 : performance.now();
    const seen = (error: Error | undefined): void => observe?.({ source: this.name, keys, seconds: (performance.now() - started) / 1000, error });
    return read(source).then(
      (values) => {
        seen(undefined);
        return values;
      },
      (err: unknown) => {
        seen(err as Error);
        if (source.spec.required || !(err instanceof RemoteError)) throw err;
        this.hooks.onOptionalFailure(err);
        return misses();
      },
    );
  }
}

export function remoteAccess(lookup: SourceLookup, deadline: number, hooks: ReadHooks): RemoteAccess {
  const readers: Record<string, SourceReader> = {};
  const readerOf = (name: string): SourceReader => (readers[name] ??= new RequestSourceReader(lookup, name, deadline, hooks));
  for (const name of lookup.names()) readerOf(name);

  const fetch: RemoteFetch['fetch'] = async (reads) => {
    const entries = Object.entries(reads);
    const values = await Promise.all(
      entries.map(([alias, read]) => {
        const [name, keys] = isKeyList(read) ? [alias, read] : [read.source, read.keys];
        lookup.current(name); // Unknown names fail here, with the list of known ones.
        return readerOf(name).mget(keys);
      }),
    );
    return Object.fromEntries(entries.map(([alias], i) => [alias, values[i]!])) as FetchResult<typeof reads>;
  };
  return Object.assign(readers, { fetch }) as unknown as RemoteAccess;
}

function isKeyList(read: FetchRead): read is readonly RemoteKey[] {
  return Array.isArray(read);
}
