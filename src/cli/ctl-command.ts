import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createControlClient } from '../client/control-client.js';
import type { UpdateReply } from '../server/controller.js';
import { parseCommandArgs } from './command-args.js';
import { describeError } from './describe-error.js';

export const ctlHelp = `rankd ctl — control a running server: reload data and code, show status

Usage: rankd ctl <action> [options]

Actions:
  update-global [TABLE…]  reload global tables (all, or those named; tables newly added to the config load too)
  update-work             reload works and algorithms into a fresh pool
  update-db               rebuild the clients of remote sources whose config changed
  status                  generations, tables, works, pool threads and queue

Options:
  --control HOST:PORT     the control address (default 127.0.0.1:21346)
  --token TOKEN           the control token (default: RANKD_CONTROL_TOKEN, else CONFIG/.control-token)
  --config DIR            where a generated token was saved (default: config)
  --deadline-ms N         how long to wait for the update (default 60000)

Examples:
  rankd ctl status
  rankd ctl update-global blacklist
  RANKD_CONTROL_TOKEN=secret rankd ctl update-work --control 10.0.0.5:21346
`;

const ACTIONS = ['update-global', 'update-work', 'update-db', 'status'] as const;

export async function ctlCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    control: { type: 'string', default: '127.0.0.1:21346' },
    token: { type: 'string' },
    config: { type: 'string', default: 'config' },
    'deadline-ms': { type: 'string', default: '60000' },
  }, true);
  const [action, ...tables] = positionals;
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) {
    throw new Error(`${action === undefined ? 'no action' : `unknown action "${action}"`}: use one of ${ACTIONS.join(', ')} (see rankd ctl --help)`);
  }
  if (action !== 'update-global' && tables.length > 0) throw new Error(`${action} takes no arguments, got "${tables.join(' ')}"`);
  const deadlineMs = Number(values['deadline-ms']);
  if (!Number.isInteger(deadlineMs) || deadlineMs <= 0) throw new Error('--deadline-ms must be a positive integer');
  const client = createControlClient(values.control!, controlToken(values.token, values.config!), deadlineMs);
  try {
    if (action === 'status') {
      process.stdout.write(`${JSON.stringify(await client.status(), null, 2)}\n`);
      return;
    }
    const reply =
      action === 'update-global' ? await client.updateGlobal(tables) : action === 'update-work' ? await client.updateWork() : await client.updateDb();
    process.stdout.write(updateSummary(reply, action === 'update-work' ? 'pool generation' : 'generation'));
  } catch (e) {
    throw new Error(`${action} failed: ${describeError(e)}`);
  } finally {
    client.close();
  }
}

function controlToken(flag: string | undefined, configDir: string): string | undefined {
  if (flag !== undefined) return flag;
  if (process.env.RANKD_CONTROL_TOKEN) return process.env.RANKD_CONTROL_TOKEN;
  const saved = path.join(configDir, '.control-token');
  return existsSync(saved) ? readFileSync(saved, 'utf8').trim() : undefined;
}

/** UpdateWork counts pool generations, the others the global tables' generations (ctl status shows both). */
function updateSummary(r: UpdateReply, counter: string): string {
  const lines = r.changed.map((c) => `  ${c}`);
  return `${counter} ${r.old_generation} -> ${r.new_generation} in ${r.total_ms.toFixed(0)} ms (load ${r.load_ms.toFixed(0)} ms, swap ${r.swap_ms.toFixed(0)} ms)\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}
