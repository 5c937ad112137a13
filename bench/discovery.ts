/**
 * npm run bench:discovery [-- --quick]
 *
 * rankd servers (child processes) registered in a real etcd, four clients
 * calling them without pause through etcd:///…, round robin. Each round:
 *   join    a new server starts: time from its key's put to the first call a client sends it;
 *   leave   it stops with SIGTERM: time from the start of its deregistration (lease
 *           revoke sent, per its own log) to the last call a client sends it (sent,
 *           not served: a CPU-starved server may run a call late), which drain_ms must
 *           exceed; and the calls that failed meanwhile (lost_graceful);
 *   kill -9 another new server joins and is killed: calls that failed until its key
 *           expired (lost_kill9; the clients retry UNAVAILABLE on another server).
 * Times are p50 over the rounds; both clocks are this machine's.
 */
import os from 'node:os';
import { createClient } from '../src/client/index.js';
import { connectEtcd } from '../src/discovery/etcd-connection.js';
import { serviceFolder } from '../src/discovery/service-key.js';
import { CallLoad } from '../test/discovery/support/call-load.js';
import { KeyEvents } from '../test/discovery/support/key-events.js';
import { startRankdProcess, type RankdProcess } from '../test/discovery/support/rankd-process.js';
import { startEtcd } from '../test/support/etcd.js';
import { waitUntil } from '../test/support/wait-until.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 10;
const TTL_S = 2;
const DRAIN_MS = 500;
const service = { prefix: 'etcd', env: 'bench', service: 'rankd' };
const folder = serviceFolder(service);

/** When a server began to deregister (sent its lease revoke), from its log line. */
function deregisteringAt(output: string): number | undefined {
  const line = output.split('\n').find((text) => text.includes('"msg":"deregistering from etcd"'));
  return line === undefined ? undefined : (JSON.parse(line) as { time: number }).time;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function main(): Promise<void> {
  const etcd = await startEtcd();
  const observer = connectEtcd(etcd.endpoint);
  const resident: RankdProcess[] = [];
  const joins: number[] = [];
  const leaves: number[] = [];
  let lostGraceful = 0;
  let lostKill9 = 0;
  const events = await new KeyEvents(observer, folder).start();
  const clients = [1, 2, 3, 4].map(() => createClient({ target: `etcd:///${service.prefix}/${service.env}/${service.service}`, etcd: etcd.endpoint }));
  let load: CallLoad | undefined;
  const startServer = () => startRankdProcess({ etcd: etcd.endpoint, service, ttlS: TTL_S, drainMs: DRAIN_MS });
  try {
    resident.push(...(await Promise.all([1, 2].map(startServer))));
    await waitUntil('resident servers registered', async () => (await observer.getAll().prefix(folder).keys()).length === resident.length);
    load = new CallLoad(clients).start();
    await waitUntil('resident servers serving', () => load!.countsByServer().size === resident.length);

    /**
     * The next newcomer starts while the bench waits on something idle (a drain, a
     * TTL), since a start takes seconds; its join is timed from its own key's put.
     */
    const prestart = (): Promise<RankdProcess> => {
      const starting = startServer();
      starting.catch(() => {}); // awaited by join, which reports the failure
      return starting;
    };
    /** Waits until a started server serves; returns it with its join time (key put → first call sent to it). */
    const join = async (starting: Promise<RankdProcess>): Promise<{ server: RankdProcess; joinMs: number }> => {
      const server = await starting;
      const put = await waitUntil('key put', () => events.events.find((e) => e.type === 'put' && e.key === server.key));
      const first = await waitUntil('first call served', () => load!.served.find((call) => call.server === server.address), { timeoutMs: 10_000 });
      return { server, joinMs: first.sentAt - put.at };
    };

    let upcoming = prestart();
    for (let round = 1; round <= ROUNDS; round++) {
      const graceful = await join(upcoming);
      joins.push(graceful.joinMs);
      upcoming = prestart();
      let failedBefore = load.failed.length;
      const stoppedAt = Date.now();
      await graceful.server.stop();
      await waitUntil('stopped server key deleted', () => events.deletion(graceful.server.key, stoppedAt), { timeoutMs: (TTL_S + 5) * 1000 });
      const lastSent = Math.max(...load.served.filter((call) => call.server === graceful.server.address).map((call) => call.sentAt));
      const leftAt = deregisteringAt(graceful.server.output);
      if (leftAt === undefined) throw new Error(`round ${round}: ${graceful.server.address} logged no "deregistering from etcd"`);
      leaves.push(lastSent - leftAt);
      lostGraceful += load.failed.length - failedBefore;
      await graceful.server.destroy();

      const victim = await join(upcoming);
      joins.push(victim.joinMs);
      if (round < ROUNDS) upcoming = prestart();
      failedBefore = load.failed.length;
      const killedAt = Date.now();
      await victim.server.kill();
      await waitUntil('killed server key expired', () => events.deletion(victim.server.key, killedAt), { timeoutMs: (TTL_S + 5) * 1000 });
      // Calls already sent to it were retried elsewhere or failed by now.
      const settleUntil = Date.now() + 200;
      await waitUntil('in-flight calls settled', () => Date.now() >= settleUntil, { intervalMs: 20 });
      lostKill9 += load.failed.length - failedBefore;
      await victim.server.destroy();
      process.stderr.write(`round ${round}/${ROUNDS}: join ${joins.slice(-2).map((ms) => ms.toFixed(0)).join(', ')} ms, leave ${leaves[leaves.length - 1]!.toFixed(0)} ms, lost ${lostGraceful} graceful / ${lostKill9} kill -9\n`);
    }
    await load.stop();
    const reasons = new Map<string, number>();
    for (const { message } of load.failed) reasons.set(message, (reasons.get(message) ?? 0) + 1);
    for (const [message, count] of reasons) process.stderr.write(`failed ${count}×: ${message}\n`);

    const served = load.served.length;
    process.stdout.write(`bench:discovery (${quick ? 'quick' : 'full'}; ${os.cpus().length} cores, ${os.cpus()[0]?.model}; ${ROUNDS} rounds, TTL ${TTL_S} s, drain ${DRAIN_MS} ms)\n`);
    process.stdout.write(`  join: key put -> first call sent        p50 ${median(joins).toFixed(1)} ms  max ${Math.max(...joins).toFixed(1)} ms  (${joins.length} joins)\n`);
    process.stdout.write(`  leave: revoke sent -> last call sent     p50 ${median(leaves).toFixed(1)} ms  max ${Math.max(...leaves).toFixed(1)} ms\n`);
    process.stdout.write(`  calls: ${served} served, lost ${lostGraceful} on graceful stops, ${lostKill9} on kill -9\n`);
    const result = {
      bench: 'discovery',
      join_ms_p50: Number(median(joins).toFixed(1)),
      leave_ms_p50: Number(median(leaves).toFixed(1)),
      lost_graceful: lostGraceful,
      lost_kill9: lostKill9,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await load?.stop();
    clients.forEach((client) => client.close());
    await events.stop();
    await Promise.all(resident.map((server) => server.destroy()));
    observer.close();
    await etcd.destroy();
  }
}

await main();
