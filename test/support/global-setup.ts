import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Pool and loader threads run compiled JavaScript from dist/; keep it in step with the sources.
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', `${root}/tsconfig.json`], {
    stdio: 'inherit',
  });
}
