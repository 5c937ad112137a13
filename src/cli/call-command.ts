import { readFileSync } from 'node:fs';
import { parseCommandArgs } from './command-args.js';
import { BALANCERS, type BalancerName, createClient } from '../client/index.js';
import { describeError } from './describe-error.js';

export const callHelp = `rankd call — send one Call to rankd servers and print the reply

Usage: rankd call --target TARGET --api NAME [--json JSON|@FILE] [options]

  --target TARGET   etcd:///<prefix>/<env>/<service>, host:port[,host:port…] or dns:host:port
  --etcd URLS       etcd endpoints for an etcd target (default: RANKD_ETCD)
  --api NAME        the work to call; sets "api" in the body (may come from the body instead)
  --json JSON|@FILE the request body, a JSON object (default {})
  --balancer NAME   ${BALANCERS.join(', ')} (default round_robin)
  --hash-key KEY    ring_hash key (default: the body's uid)
  --deadline-ms N   deadline of the call (default 5000)

The reply's JSON goes to stdout; a failure is one line on stderr, exit code 1.

Examples:
  rankd call --target 127.0.0.1:21345 --api example --json '{"hello":"world"}'
  rankd call --target etcd:///etcd/prod/rankd --etcd http://10.0.0.5:2379 --api rank \\
    --json '{"uid":"42","candidates":[{"id":"7","features":{"3":1}}],"top_k":1}'
`;

export async function callCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    target: { type: 'string' },
    etcd: { type: 'string' },
    api: { type: 'string' },
    json: { type: 'string', default: '{}' },
    balancer: { type: 'string', default: 'round_robin' },
    'hash-key': { type: 'string' },
    'deadline-ms': { type: 'string', default: '5000' },
  });
  if (values.target === undefined) throw new Error('--target is required (see rankd call --help)');
  if (!BALANCERS.includes(values.balancer as BalancerName)) throw new Error(`--balancer must be one of ${BALANCERS.join(', ')}`);
  const deadlineMs = Number(values['deadline-ms']);
  if (!Number.isInteger(deadlineMs) || deadlineMs <= 0) throw new Error('--deadline-ms must be a positive integer');
  const body = requestBody(values.json!, values.api);
  const client = createClient({ target: values.target, etcd: values.etcd, balancer: values.balancer as BalancerName, deadlineMs });
  try {
    const reply = await client.call(body, { hashKey: values['hash-key'] });
    process.stdout.write(`${JSON.stringify(reply, null, 2)}\n`);
  } catch (e) {
    throw new Error(`call failed: ${describeError(e)}`);
  } finally {
    client.close();
  }
}

function requestBody(json: string, api: string | undefined): Record<string, unknown> {
  const text = json.startsWith('@') ? readFileSync(json.slice(1), 'utf8') : json;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new Error(`--json is not JSON: ${(e as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('--json must be a JSON object');
  const withApi = api === undefined ? (body as Record<string, unknown>) : { ...body, api };
  if (typeof withApi.api !== 'string' || withApi.api === '') throw new Error('no api: pass --api NAME or put "api" in the body');
  return withApi;
}
