/**
 * The straightforward way to write this server, for comparison: one thread,
 * @grpc/proto-loader decoding into objects, the same rank logic (blacklist,
 * LR over the same weights, top k with a category cap) on the main thread,
 * tables in JS Set/Map/arrays.
 *
 *   node dist/bench/engine/naive-server.js <port> <blacklist file> <category file> <weights file (binary)>
 */
import { readFileSync } from 'node:fs';
import { loadPackageDefinition, Server, ServerCredentials, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoFile } from '../../src/rpc/proto-file.js';

const [port, blacklistFile, categoryFile, weightsFile] = process.argv.slice(2) as [string, string, string, string];

const blacklist = new Set(readFileSync(blacklistFile, 'utf8').split('\n').filter((l) => /^\d/.test(l)).map((l) => l.trim()));
const category = new Map(
  readFileSync(categoryFile, 'utf8')
    .split('\n')
    .filter((l) => /^\d/.test(l))
    .map((l) => l.split('\t') as [string, string]),
);
const raw = readFileSync(weightsFile);
const header = 16;
const weights = Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset + header, raw.byteOffset + raw.byteLength)));
const buckets = weights.length - 1;

interface Candidate {
  itemId: string;
  featureIds: number[];
  featureValues: number[];
}

interface Request {
  userId: string;
  userFeatureIds: number[];
  userFeatureValues: number[];
  candidates: Candidate[];
  topK: number;
}

function rank(req: Request) {
  let user = weights[0]!;
  req.userFeatureIds.forEach((f, j) => (user += weights[1 + (f % buckets)]! * req.userFeatureValues[j]!));
  const scored = req.candidates
    .filter((c) => !blacklist.has(c.itemId))
    .map((c) => {
      let z = user;
      c.featureIds.forEach((f, j) => (z += weights[1 + (f % buckets)]! * c.featureValues[j]!));
      return { itemId: c.itemId, score: 1 / (1 + Math.exp(-z)) };
    })
    .sort((a, b) => b.score - a.score);
  const perCategory = new Map<string, number>();
  const items = [];
  for (const s of scored) {
    if (req.topK && items.length === req.topK) break;
    const c = category.get(s.itemId) ?? '0';
    const n = perCategory.get(c) ?? 0;
    if (n >= 3) continue;
    perCategory.set(c, n + 1);
    items.push(s);
  }
  return { items, plan: '-1', generation: 1, algorithms: ['lr_main'] };
}

const def = loadSync(protoFile(), { longs: String, defaults: true });
const pkg = loadPackageDefinition(def) as unknown as { rankd: { v1: { Rank: ServiceClientConstructor } } };
const server = new Server();
server.addService(pkg.rankd.v1.Rank.service, {
  Rank: (call: { request: Request }, cb: (e: null, r: unknown) => void) => cb(null, rank(call.request)),
  Call: (_: unknown, cb: (e: { code: number; details: string }) => void) => cb({ code: 12, details: 'not in the naive server' }),
});
server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err, bound) => {
  if (err) throw err;
  process.stdout.write(`ready ${bound}\n`);
});
