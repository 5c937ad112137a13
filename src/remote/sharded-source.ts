/**
 * The RemoteSource every type shares: split a read's keys by server, read the
 * servers in parallel under one deadline, decode, and put the values back in
 * key order. Source types only supply ShardReaders.
 */
import { InFlightReads } from './in-flight-reads.js';
import { ReadDeadline } from './read-deadline.js';
import { RemoteError } from './remote-error.js';
import { storedKeys, type RemoteKey } from './remote-key.js';
import type { RemoteSource } from './remote-source.js';
import type { RawValue, RemoteValue } from './remote-value.js';
import { shardSelector, type ShardGroup, type ShardSelector } from './shard-selection.js';
import type { ShardReader } from './shard-reader.js';
import type { SourceSpec } from './source-spec.js';
import { decodesToItself, ValueFormatError, valueDecoder, type ValueDecoder } from './value-decoder.js';

/** Node timers may fire up to a millisecond early. */
const CLOCK_SLACK_MS = 2;

export class ShardedSource implements RemoteSource {
  private readonly select: ShardSelector;
  private readonly decode: ValueDecoder;
  private readonly textIsValue: boolean;
  /** Prepended to every key's text; servers and shard selection see the stored key. */
  private readonly keyPrefix: string;
  private readonly reads = new InFlightReads();
  private closing: Promise<void> | undefined;

  constructor(
    readonly spec: SourceSpec,
    private readonly shards: readonly ShardReader[],
  ) {
    this.select = shardSelector(spec.select, shards.length);
    this.decode = valueDecoder(spec.value, spec.compress);
    this.textIsValue = decodesToItself(spec.value, spec.compress);
    this.keyPrefix = 'keyPrefix' in spec ? spec.keyPrefix : '';
  }

  /** Reads running now (for tests and metrics). */
  get inFlight(): number {
    return this.reads.size;
  }

  async get(key: RemoteKey, deadline: number): Promise<RemoteValue | null> {
    const [value] = await this.mget([key], deadline);
    return value ?? null;
  }

  mget(keys: readonly RemoteKey[], deadline: number): Promise<(RemoteValue | null)[]> {
    let texts: string[];
    try {
      texts = storedKeys(keys, this.keyPrefix);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.read(texts, deadline);
  }

  close(): Promise<void> {
    return (this.closing ??= this.reads.idle().then(() => Promise.all(this.shards.map((shard) => shard.close()))).then(() => {}));
  }

  private read(keys: string[], requestDeadline: number): Promise<(RemoteValue | null)[]> {
    if (this.closing !== undefined) return Promise.reject(this.failure(undefined, false, 'the source was closed (db_config.ini changed)'));
    if (keys.length === 0) return Promise.resolve([]);
    const deadline = ReadDeadline.of(requestDeadline, this.spec.timeoutMs);
    const groups = this.select(keys);
    const read =
      groups.length === 1 && groups[0]!.positions === undefined
        ? this.readGroup(groups[0]!, deadline)
        : Promise.all(groups.map((group) => this.readGroup(group, deadline))).then((parts) => merge(keys.length, groups, parts));
    return this.reads.track(read);
  }

  // Promise chains rather than async functions here: this is every read's
  // path, and each async layer costs a promise and a microtask hop.
  private readGroup(group: ShardGroup, deadline: ReadDeadline): Promise<(RemoteValue | null)[]> {
    const shard = this.shards[group.shard]!;
    const down = shard.downReason?.();
    if (down !== undefined) return Promise.reject(this.failure(shard.server, false, down));
    let read: Promise<RawValue[]>;
    try {
      read = shard.read(group.keys, deadline);
    } catch (err) {
      read = Promise.reject(err);
    }
    return deadline
      .race(read, () => {
        const state = shard.state?.();
        return this.failure(shard.server, true, state === undefined ? deadline.describe() : `${deadline.describe()}; ${state}`);
      })
      .then(
        (raw) => this.decodeAll(shard, group.keys, raw),
        (err: unknown) => {
          throw this.readFailure(shard, deadline, err);
        },
      );
  }

  private readFailure(shard: ShardReader, deadline: ReadDeadline, err: unknown): RemoteError {
    if (err instanceof RemoteError) return err;
    const message = (err as Error)?.message ?? String(err);
    // A client's own deadline (gRPC, undici) may fire a moment before ours: still our timeout.
    if (Date.now() >= deadline.at - CLOCK_SLACK_MS) return this.failure(shard.server, true, `${deadline.describe()}; ${message}`, err);
    return this.failure(shard.server, false, message, err);
  }

  private decodeAll(shard: ShardReader, keys: string[], raw: RawValue[]): (RemoteValue | null)[] {
    if (raw.length !== keys.length) throw this.failure(shard.server, false, `answered ${raw.length} values for ${keys.length} keys`);
    if (this.textIsValue) return textValues(raw);
    const values = new Array<RemoteValue | null>(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const item = raw[i];
      if (item === null || item === undefined) {
        values[i] = null;
        continue;
      }
      try {
        values[i] = this.decode(item);
      } catch (err) {
        if (!(err instanceof ValueFormatError)) throw err;
        throw this.failure(shard.server, false, `the value of key ${JSON.stringify(keys[i])} ${err.message} (value = ${this.spec.value.kind})`);
      }
    }
    return values;
  }

  private failure(server: string | undefined, timedOut: boolean, reason: string, cause?: unknown): RemoteError {
    return new RemoteError({ source: this.spec.name, type: this.spec.type, server, timedOut, reason, cause });
  }
}

/** Plain string values: the client's array itself (it is ours), bytes made text, undefined made null. */
function textValues(raw: RawValue[]): (string | null)[] {
  for (let i = 0; i < raw.length; i++) {
    const item = raw[i];
    if (typeof item !== 'string') raw[i] = item === null || item === undefined ? null : item.toString('utf8');
  }
  return raw as (string | null)[];
}

/** Group results back into the order of the read's keys. */
function merge(count: number, groups: ShardGroup[], parts: (RemoteValue | null)[][]): (RemoteValue | null)[] {
  const values = new Array<RemoteValue | null>(count);
  for (let g = 0; g < groups.length; g++) {
    const positions = groups[g]!.positions;
    const part = parts[g]!;
    if (positions === undefined) return part;
    for (let i = 0; i < positions.length; i++) values[positions[i]!] = part[i]!;
  }
  return values;
}
