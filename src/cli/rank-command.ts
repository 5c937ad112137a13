import { readFileSync } from 'node:fs';
import { BALANCERS, type BalancerName, createClient, type RankRequestInput } from '../client/index.js';
import { parseCommandArgs } from './command-args.js';
import { describeError } from './describe-error.js';

export const rankHelp = `rankd rank — send one typed Rank request and print the ranked items

Usage: rankd rank --target TARGET --json JSON|@FILE [options]

  --target TARGET   etcd:///<prefix>/<env>/<service>, host:port[,host:port…] or dns:host:port
  --etcd URLS       etcd endpoints for an etcd target (default: RANKD_ETCD)
  --json JSON|@FILE the request: {"userId", "candidates":[{"itemId","featureIds","featureValues"}],
                    "topK", "api", "userFeatureIds", "userFeatureValues", "wantTimings", "explain"}
                    (ids as numbers or decimal strings)
  --balancer NAME   ${BALANCERS.join(', ')} (default round_robin)
  --deadline-ms N   deadline of the call (default 5000)

The reply goes to stdout as JSON (ids as numbers, as strings above 2^53); a failure is one line on stderr, exit code 1.

Example:
  rankd rank --target 127.0.0.1:21345 --json '{"userId":"42","topK":2,"candidates":[
    {"itemId":"7","featureIds":[3,77],"featureValues":[1,0.5]},{"itemId":"8","featureIds":[9],"featureValues":[1]}]}'
`;

export async function rankCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    target: { type: 'string' },
    etcd: { type: 'string' },
    json: { type: 'string' },
    balancer: { type: 'string', default: 'round_robin' },
    'deadline-ms': { type: 'string', default: '5000' },
  });
  if (values.target === undefined) throw new Error('--target is required (see rankd rank --help)');
  if (values.json === undefined) throw new Error('--json is required: the RankRequest as JSON (see rankd rank --help)');
  if (!BALANCERS.includes(values.balancer as BalancerName)) throw new Error(`--balancer must be one of ${BALANCERS.join(', ')}`);
  const deadlineMs = Number(values['deadline-ms']);
  if (!Number.isInteger(deadlineMs) || deadlineMs <= 0) throw new Error('--deadline-ms must be a positive integer');
  const text = values.json.startsWith('@') ? readFileSync(values.json.slice(1), 'utf8') : values.json;
  let request: RankRequestInput;
  try {
    request = JSON.parse(text) as RankRequestInput;
  } catch (e) {
    throw new Error(`--json is not JSON: ${(e as Error).message}`);
  }
  const client = createClient({ target: values.target, etcd: values.etcd, balancer: values.balancer as BalancerName, deadlineMs });
  try {
    const reply = await client.rank(request);
    process.stdout.write(`${JSON.stringify(reply, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 2)}\n`);
  } catch (e) {
    throw new Error(`rank failed: ${e instanceof RangeError ? e.message : describeError(e)}`);
  } finally {
    client.close();
  }
}
