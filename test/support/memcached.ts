import { Daemon, retryWhileExitingEarly } from './daemon.js';
import { freePorts } from './free-port.js';
import { tcpExchange } from './tcp-exchange.js';

const MEMCACHED_BIN = '/usr/bin/memcached';

export interface MemcachedProcess {
  readonly host: string;
  readonly port: number;
  /** PID of the running server, or of the last one after a stop. */
  readonly pid: number;
  readonly running: boolean;
  /** Starts again on the same port, empty. */
  start(): Promise<void>;
  /** SIGTERM (SIGKILL after a deadline). */
  stop(): Promise<void>;
  /** SIGKILL, as in a crash. */
  kill(): Promise<void>;
  /** Same as stop(): memcached keeps nothing on disk. */
  destroy(): Promise<void>;
}

/** A memcached on a free loopback TCP port (UDP off), 64 MB of memory. */
export function startMemcached(): Promise<MemcachedProcess> {
  return retryWhileExitingEarly(async () => {
    const [port] = (await freePorts(1)) as [number];
    const memcached = new LocalMemcached(port);
    await memcached.start();
    return memcached;
  });
}

class LocalMemcached implements MemcachedProcess {
  readonly host = '127.0.0.1';
  private readonly daemon: Daemon;

  constructor(readonly port: number) {
    // memcached refuses to run as root unless told which user to stay.
    const asRoot = process.getuid?.() === 0 ? ['-u', 'root'] : [];
    this.daemon = new Daemon({
      name: `memcached 127.0.0.1:${port}`,
      command: MEMCACHED_BIN,
      args: () => ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '64', '-t', '2', ...asRoot],
      ready: async () => {
        const reply = await tcpExchange({ port, send: 'version\r\n', complete: (text) => text.includes('\r\n') });
        return reply.startsWith('VERSION ');
      },
    });
  }

  get pid(): number {
    return this.daemon.pid;
  }

  get running(): boolean {
    return this.daemon.running;
  }

  start(): Promise<void> {
    return this.daemon.start();
  }

  stop(): Promise<void> {
    return this.daemon.stop();
  }

  kill(): Promise<void> {
    return this.daemon.kill();
  }

  destroy(): Promise<void> {
    return this.daemon.stop();
  }
}
