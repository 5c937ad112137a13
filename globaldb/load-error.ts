/** Why a data file was refused: `file:line: reason` (line 0 when the problem is the file as a whole). */
export class LoadError extends Error {
  override readonly name = 'LoadError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
  }
}
