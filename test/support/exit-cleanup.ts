/**
 * Last-resort cleanup: a test that crashes or is interrupted must not leave
 * daemons or temp dirs behind. Cleanups run synchronously on process exit and
 * on SIGINT/SIGTERM/SIGHUP (then the signal is re-raised so the process still
 * dies of it). SIGKILL of the test process cannot be caught.
 */
const cleanups = new Set<() => void>();
const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

/** Runs `cleanup` at exit unless the returned function is called first. */
export function onExit(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Keep going: one failed cleanup must not leave the others undone.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of signals) {
    const onSignal = (): void => {
      runAll();
      process.removeListener(signal, onSignal);
      // Someone else handles this signal: let them decide; otherwise die of it as we would have.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
