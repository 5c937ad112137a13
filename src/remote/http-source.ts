/**
 * HTTP: one undici Pool per server (keep-alive connections reused across
 * requests); one HTTP request per key, from a URL template and for POST a
 * body template. 200 carries the value, 404 and 204 are misses, any other
 * status fails the read. A read that runs out of time aborts its requests.
 */
import { Pool } from 'undici';
import type { ReadDeadline } from './read-deadline.js';
import type { RawValue } from './remote-value.js';
import type { RemoteSource } from './remote-source.js';
import type { ShardReader } from './shard-reader.js';
import { ShardedSource } from './sharded-source.js';
import { serverText, type HttpAuth, type HttpSourceSpec, type ServerAddress } from './source-spec.js';
import { SourceSpecError } from './source-spec-error.js';
import { decoderNeedsBytes } from './value-decoder.js';

export function createHttpSource(spec: HttpSourceSpec): RemoteSource {
  return new ShardedSource(
    spec,
    spec.servers.map((server) => new HttpShard(spec, server)),
  );
}

/** A template split at {key}, so rendering is one join. */
class KeyTemplate {
  private readonly parts: string[];

  constructor(
    template: string,
    private readonly escape: (key: string) => string,
  ) {
    this.parts = template.split('{key}');
  }

  render(key: string): string {
    return this.parts.length === 1 ? this.parts[0]! : this.parts.join(this.escape(key));
  }
}

/** Inside a JSON string: quotes and backslashes in keys cannot break out of it. */
const jsonEscaped = (key: string): string => JSON.stringify(key).slice(1, -1);

const MISS_STATUSES = new Set([404, 204]);
const ERROR_BODY_CHARS = 200;

class HttpShard implements ShardReader {
  readonly server: string;
  private readonly pool: Pool;
  private readonly method: 'GET' | 'POST';
  private readonly url: KeyTemplate;
  private readonly body: KeyTemplate | undefined;
  private readonly headers: Record<string, string>;
  private readonly bytes: boolean;

  constructor(spec: HttpSourceSpec, address: ServerAddress) {
    this.server = serverText(address);
    this.method = spec.method;
    this.url = new KeyTemplate(spec.url, encodeURIComponent);
    this.body = spec.body === undefined ? undefined : new KeyTemplate(spec.body, jsonEscaped);
    this.headers = { ...spec.headers, ...authHeader(spec.auth) };
    this.bytes = decoderNeedsBytes(spec.compress);
    try {
      this.pool = new Pool(`${spec.tls ? 'https' : 'http'}://${this.server}`, {
        connections: spec.connections,
        connect: { timeout: Math.max(1000, spec.timeoutMs) },
        keepAliveTimeout: 30_000,
      });
    } catch (e) {
      // undici refuses hosts that do not make an origin ("a/b", "a?b").
      throw new SourceSpecError(spec.name, 'servers', `${this.server} is not a server undici can connect to (${(e as Error).message})`);
    }
  }

  read(keys: string[], deadline: ReadDeadline): Promise<RawValue[]> {
    return Promise.all(keys.map((key) => this.readOne(key, deadline)));
  }

  private async readOne(key: string, deadline: ReadDeadline): Promise<RawValue> {
    const remaining = Math.max(1, deadline.remainingMs);
    const response = await this.pool.request({
      method: this.method,
      path: this.url.render(key),
      headers: this.headers,
      body: this.body?.render(key),
      signal: deadline.signal,
      headersTimeout: remaining,
      bodyTimeout: remaining,
    });
    if (response.statusCode === 200) {
      return this.bytes ? Buffer.from(await response.body.arrayBuffer()) : await response.body.text();
    }
    if (MISS_STATUSES.has(response.statusCode)) {
      await response.body.dump();
      return null;
    }
    const text = (await response.body.text()).slice(0, ERROR_BODY_CHARS);
    throw new Error(`HTTP ${response.statusCode} for key ${JSON.stringify(key)}${text === '' ? '' : `: ${text}`}`);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function authHeader(auth: HttpAuth): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
  }
}
