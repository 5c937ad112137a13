import { callCommand, callHelp } from './call-command.js';
import { ctlCommand, ctlHelp } from './ctl-command.js';
import { discoverCommand, discoverHelp } from './discover-command.js';
import { featuresCommand, featuresHelp } from './features-command.js';
import { rankCommand, rankHelp } from './rank-command.js';
import { runCommand, runHelp } from './run-command.js';
import { serveCommand, serveHelp } from './serve-command.js';

const help = `rankd — the compute layer of a recommendation system

Usage: rankd <command> [options]

Commands:
  serve     run the ranking server (rankd serve --help)
  run       run works over a file of keys offline (rankd run --help)
  call      send one Call to rankd servers (rankd call --help)
  rank      send one typed Rank request (rankd rank --help)
  ctl       reload data or code, or show status, of a running server (rankd ctl --help)
  discover  list the servers registered in etcd (rankd discover --help)
  features  hash field=value features into model rows (rankd features --help)

Examples:
  rankd serve --config config
  rankd ctl status
  rankd call --target 127.0.0.1:21345 --api example --json '{"hello":"world"}'
`;

const commands: Record<string, { run: (argv: string[]) => Promise<void>; help: string }> = {
  serve: { run: serveCommand, help: serveHelp },
  run: { run: runCommand, help: runHelp },
  call: { run: callCommand, help: callHelp },
  rank: { run: rankCommand, help: rankHelp },
  ctl: { run: ctlCommand, help: ctlHelp },
  discover: { run: discoverCommand, help: discoverHelp },
  features: { run: featuresCommand, help: featuresHelp },
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help);
    return;
  }
  const command = commands[name];
  if (command === undefined) throw new Error(`unknown command "${name}" (see rankd --help)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help);
    return;
  }
  await command.run(rest);
}

// A user mistake is one line on stderr, never a stack trace.
main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`rankd: ${e.message}\n`);
  process.exit(1);
});
