/**
 * Why a table file could not be loaded: `file:line: reason`, or
 * `file: reason` when no line is at fault (line 0: missing file, bad header).
 */
export class LoadError extends Error {
  readonly file: string;
  readonly line: number;
  readonly reason: string;

  constructor(file: string, line: number, reason: string) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
    this.name = 'LoadError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
