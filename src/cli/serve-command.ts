import path from 'node:path';
import { parseArgs } from 'node:util';
import { type RankdServer, startRankd } from '../server/rankd-server.js';

export const serveHelp = `rankd serve — run the ranking server

Usage: rankd serve [--config DIR]

  --config DIR   config folder holding rankd.ini (default: config)

Signals: SIGHUP reloads works and global tables; SIGTERM/SIGINT stop after
running calls finish. With a [discovery] section the server registers in etcd;
on SIGTERM/SIGINT it deletes its key first and keeps serving for drain_ms.

Example:
  rankd serve --config config
`;

export async function serveCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string', default: 'config' } }, strict: true });
  let controller: RankdServer['controller'] | undefined;
  // Installed before startup, which reads the config and tables anyway: a
  // SIGHUP then (a log rotation, a deploy script) must not kill the server.
  process.on('SIGHUP', () => {
    controller
      ?.updateWork()
      .then(() => controller!.updateGlobal([]))
      .catch(() => {}); // refusals are logged by the controller; the server keeps its state
  });
  const server = await startRankd(path.resolve(values.config!));
  controller = server.controller;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
