/**
 * The main thread's check of db_config.ini sources before UpdateDb publishes
 * them: each is built as a pool thread would build it (same code, same
 * environment) but with clients that do not connect, then closed. A spec a
 * thread could not build is refused here, naming file, section and key,
 * instead of each thread logging it and keeping its old clients.
 */
import { ConfigError, type ConfigProblem } from '../config/config-error.js';
import { createSource, type SourceEnvironment } from './create-source.js';
import type { RemoteSource } from './remote-source.js';
import type { SourceSpec } from './source-spec.js';
import { SourceSpecError } from './source-spec-error.js';

/** Resolves when every spec builds; rejects with a ConfigError listing those that do not. */
export async function checkSources(file: string, specs: readonly SourceSpec[], environment: SourceEnvironment): Promise<void> {
  const problems: ConfigProblem[] = [];
  const built: RemoteSource[] = [];
  for (const spec of specs) {
    try {
      built.push(createSource(spec, { ...environment, connect: false }));
    } catch (e) {
      const err = e as Error;
      problems.push(
        err instanceof SourceSpecError
          ? { file, section: spec.name, key: err.key, message: err.reason }
          : { file, section: spec.name, message: `cannot be built: ${err.message}` },
      );
    }
  }
  await Promise.allSettled(built.map((source) => source.close()));
  if (problems.length > 0) throw new ConfigError(problems);
}
