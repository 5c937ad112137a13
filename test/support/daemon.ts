import { spawn, type ChildProcess } from 'node:child_process';
import { onExit } from './exit-cleanup.js';
import { waitUntil } from './wait-until.js';

export interface DaemonSpec {
  /** For messages: "etcd", "redis-server :6379"… */
  name: string;
  command: string;
  /** Called on every start, so a restart can reuse or change arguments. */
  args: () => string[];
  env?: NodeJS.ProcessEnv;
  /** One readiness probe; true when the service answers. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** How long SIGTERM gets before SIGKILL. */
  stopTimeoutMs?: number;
}

const OUTPUT_TAIL_BYTES = 16 * 1024;

/**
 * One long-running child process: started, probed until ready, stopped by PID
 * (SIGTERM, then SIGKILL after a deadline) and awaited until the OS has reaped
 * it, so "stopped" means the PID is gone. Startable again after a stop.
 */
export class Daemon {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private exitStatus: string | undefined;
  private lastPid = 0;
  private output = '';
  private forgetExitKill: (() => void) | undefined;

  constructor(private readonly spec: DaemonSpec) {}

  /** PID of the current process, or of the last one after it stopped. */
  get pid(): number {
    return this.lastPid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** The tail of stdout+stderr, for failure messages. */
  get recentOutput(): string {
    return this.output;
  }

  /** How the last process ended ("exited with code 0", "killed by SIGKILL"), undefined while it runs. */
  get lastExitStatus(): string | undefined {
    return this.exitStatus;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error(`${this.spec.name} is already running (pid ${this.lastPid})`);
    this.output = '';
    this.exitStatus = undefined;
    const child = spawn(this.spec.command, this.spec.args(), {
      env: this.spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let markExited!: () => void;
    this.exited = new Promise((resolve) => (markExited = resolve));
    const gone = (status: string): void => {
      if (this.child === child) this.child = undefined;
      this.exitStatus = status;
      this.forgetExitKill?.();
      markExited();
    };
    child.once('exit', (code, signal) => gone(signal ? `killed by ${signal}` : `exited with code ${code}`));
    child.once('error', (err) => {
      if (child.pid === undefined) gone(`could not be started: ${err.message}`);
    });
    // An unread pipe fills up and blocks the daemon, so always drain it.
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);

    if (child.pid === undefined) {
      await this.exited;
      throw new Error(`${this.spec.name} (${this.spec.command}) ${this.exitStatus}`);
    }
    const pid = child.pid;
    this.lastPid = pid;
    this.forgetExitKill = onExit(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    });
    try {
      await waitUntil(`${this.spec.name} (pid ${pid})`, () => this.spec.ready(), {
        timeoutMs: this.spec.readyTimeoutMs ?? 20_000,
        abortReason: () => (this.exitStatus ? `${this.exitStatus} before it was ready` : undefined),
      });
    } catch (err) {
      const exitedEarly = this.exitStatus !== undefined;
      await this.kill();
      throw new DaemonStartError(`${(err as Error).message}\n--- ${this.spec.name} output ---\n${this.output}`, exitedEarly);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited by the deadline; resolves once the PID is reaped. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const timeoutMs = this.spec.stopTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const late = await Promise.race([this.exited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGKILL: a crash, as fault tests need it. Resolves once the PID is reaped. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }
}

/** A start that failed; `exitedEarly` tells a daemon that died (e.g. its port was taken) from one that hung. */
export class DaemonStartError extends Error {
  readonly exitedEarly: boolean;
  constructor(message: string, exitedEarly: boolean) {
    super(message);
    this.name = 'DaemonStartError';
    this.exitedEarly = exitedEarly;
  }
}

/**
 * Runs a first start up to `attempts` times while the daemon dies before it is
 * ready: the usual cause is a free port taken by someone else in the meantime,
 * and `tryStart` picks fresh ports on each call.
 */
export async function retryWhileExitingEarly<T>(tryStart: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tryStart();
    } catch (err) {
      if (!(err instanceof DaemonStartError && err.exitedEarly) || attempt >= attempts) throw err;
    }
  }
}
