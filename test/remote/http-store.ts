/**
 * A key-value store behind node:http on 127.0.0.1, the far end of HTTP
 * source tests: GET /items/<key>, POST /lookup with {"id": "<key>"}. It
 * records what it received and can hold answers until released.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../support/free-port.js';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface HttpStore {
  port: number;
  values: Map<string, string | Buffer>;
  received: ReceivedRequest[];
  /** Holds every answer until release() (requests still count as received). */
  hold(): void;
  release(): void;
  /** Requests received and held right now. */
  readonly held: number;
  /** Required `authorization` header value; unset accepts anyone. */
  requireAuthorization: string | undefined;
  /** Answers keys with this prefix with HTTP 500. */
  failingPrefix: string;
  close(): Promise<void>;
}

export async function startHttpStore(): Promise<HttpStore> {
  let holding = false;
  let heldAnswers: (() => void)[] = [];
  const store: HttpStore = {
    port: 0,
    values: new Map(),
    received: [],
    requireAuthorization: undefined,
    failingPrefix: '\u0000',
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      const answers = heldAnswers;
      heldAnswers = [];
      for (const respond of answers) respond();
    },
    get held() {
      return heldAnswers.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const answer = (key: string, res: ServerResponse): void => {
    if (key.startsWith(store.failingPrefix)) {
      res.writeHead(500).end('store exploded');
      return;
    }
    const value = store.values.get(key);
    if (value === undefined) res.writeHead(404).end('no such key');
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(value);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      store.received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const respond = (): void => {
        if (store.requireAuthorization !== undefined && req.headers.authorization !== store.requireAuthorization) {
          res.writeHead(401).end('who are you?');
        } else if (req.method === 'GET' && req.url!.startsWith('/items/')) {
          answer(decodeURIComponent(req.url!.slice('/items/'.length).split('?')[0]!), res);
        } else if (req.method === 'POST' && req.url!.startsWith('/lookup')) {
          answer(String((JSON.parse(body) as { id: unknown }).id), res);
        } else {
          res.writeHead(400).end(`unexpected ${req.method} ${req.url}`);
        }
      };
      if (holding) heldAnswers.push(respond);
      else respond();
    });
  });
  store.port = await listenOnLoopback(server);
  return store;
}
