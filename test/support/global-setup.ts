import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Pool and loader threads run compiled JavaScript from dist/; keep it in step
// with the sources. tsc emits even when it reports type errors, and the test
// command type-checks strictly before the suite, so errors here only warn.
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsc = spawnSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', `${root}/tsconfig.json`], {
    encoding: 'utf8',
  });
  if (tsc.status !== 0) process.stderr.write(`tsc reported errors (build emitted anyway):\n${tsc.stdout}${tsc.stderr}`);
}
