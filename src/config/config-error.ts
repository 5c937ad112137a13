import { isAbsolute, relative } from 'node:path';

/** One thing wrong with a config file, located as precisely as it can be. */
export interface ConfigProblem {
  /** Absolute path of the file. */
  file: string;
  section?: string;
  key?: string;
  /** What is wrong, without the location: `"abc" is not a port (1-65535)`. */
  message: string;
}

/**
 * Every problem found in a configuration, so one run reports them all. The
 * message has one line per problem, each naming file, section and key:
 * `config/rankd.ini [server] query_port: "abc" is not a port (1-65535)`.
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatProblem({ file, section, key, message }: ConfigProblem): string {
  const where = [displayPath(file), section === undefined ? '' : ` [${section}]`, key === undefined ? '' : ` ${key}`];
  return `${where.join('')}: ${message}`;
}

/** Relative to the working directory when the file is under it: shorter, and what the user typed. */
function displayPath(file: string): string {
  const fromCwd = relative(process.cwd(), file);
  return fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : file;
}

/** Collects problems while a file is read, then throws them together. */
export class ProblemList {
  private readonly problems: ConfigProblem[] = [];

  add(problem: ConfigProblem): void {
    this.problems.push(problem);
  }

  get empty(): boolean {
    return this.problems.length === 0;
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new ConfigError([...this.problems]);
  }
}
