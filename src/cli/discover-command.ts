import { parseCommandArgs } from './command-args.js';
import { innermostError } from '../client/error-text.js';
import { listServers, type RegisteredServer } from '../client/index.js';
import { serviceFolder } from '../discovery/service-key.js';

export const discoverHelp = `rankd discover — list the servers registered in etcd, with their metadata

Usage: rankd discover --etcd URLS --env ENV [--prefix etcd] [--service rankd] [--json]

  --etcd URLS      etcd endpoints, comma-separated (default: RANKD_ETCD)
  --env ENV        deployment environment, as in rankd.ini [discovery] env
  --prefix NAME    first key segment (default etcd)
  --service NAME   service name (default rankd)
  --json           one JSON array instead of a table

Examples:
  rankd discover --etcd http://127.0.0.1:2379 --env dev
  rankd discover --etcd http://10.0.0.5:2379,http://10.0.0.6:2379 --env prod --json
`;

export async function discoverCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    etcd: { type: 'string' },
    env: { type: 'string' },
    prefix: { type: 'string', default: 'etcd' },
    service: { type: 'string', default: 'rankd' },
    json: { type: 'boolean', default: false },
  });
  if (values.env === undefined) throw new Error('--env is required (see rankd discover --help)');
  const name = { prefix: values.prefix!, env: values.env, service: values.service! };
  const folder = serviceFolder(name);
  let servers: RegisteredServer[];
  try {
    servers = await listServers({ etcd: values.etcd, ...name });
  } catch (e) {
    throw new Error(`cannot read ${folder} from etcd: ${innermostError((e as Error).message)}`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(servers)}\n`);
    return;
  }
  if (servers.length === 0) {
    process.stderr.write(`no servers registered under ${folder}\n`);
    return;
  }
  process.stdout.write(table(servers));
}

function table(servers: RegisteredServer[]): string {
  const header = ['ADDRESS', 'VERSION', 'WEIGHT', 'ZONE', 'STARTED', 'CONTROL_PORT'];
  const rows = servers.map(({ address, metadata }) => [
    address,
    text(metadata.version),
    text(metadata.weight),
    text(metadata.zone),
    text(metadata.startTime),
    text(metadata.controlPort),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => `${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`).join('');
}

function text(value: unknown): string {
  return value === undefined || value === null || value === '' ? '-' : String(value);
}
