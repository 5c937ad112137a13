import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBatch } from '../offline/batch-run.js';

export const runHelp = `rankd run — run works over a file of keys offline (no network), like the server would

Usage: rankd run --input FILE [--template JSON|FILE] [--out FILE] [options]

  --input FILE         keys, one per line (with --template), or JSON-line requests (without)
  --template JSON|FILE a Call body with {key} where each key goes
  --out FILE           JSON lines {"key":…,"response":…} in input order (default: stdout)
  --errors FILE        JSON lines {"key":…,"code":…,"message":…} for keys that failed
  --resume             skip keys already in --out (after a kill: no duplicates, no gaps)
  --threads N          pool threads (default: [pool] threads)
  --concurrency N      batches of keys in flight (default: 2 × threads × tasks_per_thread)
  --deadline-ms N      per request (default: [server] deadline_ms)
  --config DIR         config folder (default: config)

Exit code 0 only when no key failed.

Examples:
  rankd run --input uids.txt --template '{"api":"rank","uid":"{key}"}' --out recs.jsonl --errors failed.jsonl
  rankd run --input requests.jsonl --out replies.jsonl --threads 2
`;

export async function runCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      input: { type: 'string' },
      template: { type: 'string' },
      out: { type: 'string' },
      errors: { type: 'string' },
      resume: { type: 'boolean', default: false },
      threads: { type: 'string' },
      concurrency: { type: 'string' },
      'deadline-ms': { type: 'string' },
      config: { type: 'string', default: 'config' },
    },
  });
  if (values.input === undefined) throw new Error('--input FILE is required (see rankd run --help)');
  const summary = await runBatch({
    configDir: path.resolve(values.config!),
    input: values.input,
    template: values.template,
    out: values.out,
    errors: values.errors,
    resume: values.resume!,
    threads: positive(values.threads, '--threads'),
    concurrency: positive(values.concurrency, '--concurrency'),
    deadlineMs: positive(values['deadline-ms'], '--deadline-ms'),
    tty: process.stderr.isTTY === true,
  });
  if (summary.failed > 0) process.exitCode = 1;
}

function positive(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got "${v}"`);
  return n;
}
