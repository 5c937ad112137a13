import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LoadError } from './load-error.js';

const NL = 10;

/**
 * A file read in large chunks and handed out as runs of whole lines, for
 * parsers that scan bytes themselves (readline was measured 3–4× slower).
 * A line longer than the buffer grows it; a last line without a newline gets
 * one, so parsers can rely on every line ending in '\n'. A file whose size
 * changes while it is read (truncated or appended to by another process) is
 * a LoadError rather than a silently partial table.
 */
export class LineChunks {
  /** The current run is buf[start, end); buf[end - 1] is '\n'. */
  buf: Buffer;
  start = 0;
  end = 0;
  /** Bytes read from the file so far. */
  bytesRead = 0;
  readonly totalBytes: number;
  private filled = 0;
  private eof = false;
  private fd: number | null;

  constructor(
    readonly file: string,
    chunkSize = 4 << 20,
  ) {
    this.fd = openFile(file);
    try {
      const stat = fstatSync(this.fd);
      if (!stat.isFile()) throw new LoadError(file, 0, 'not a regular file');
      this.totalBytes = stat.size;
    } catch (err) {
      this.close();
      throw err;
    }
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  /** Moves to the next run of lines; false at the end of the file. */
  next(): boolean {
    // The bytes after the last run are the start of a line: keep them.
    const partial = this.filled - this.end;
    if (partial > 0 && this.end > 0) this.buf.copyWithin(0, this.end, this.filled);
    this.filled = partial;
    this.start = 0;
    this.end = 0;
    for (;;) {
      if (this.eof) {
        if (this.filled === 0) return false;
        if (this.filled === this.buf.length) this.grow();
        this.buf[this.filled++] = NL;
        this.end = this.filled;
        return true;
      }
      if (this.filled === this.buf.length) this.grow();
      const n = readSync(this.fd!, this.buf, this.filled, this.buf.length - this.filled, null);
      if (n === 0) {
        if (this.bytesRead !== this.totalBytes) {
          throw new LoadError(
            this.file,
            0,
            `file changed while it was read: ${this.bytesRead} bytes read, its size was ${this.totalBytes} when opened`,
          );
        }
        this.eof = true;
        continue;
      }
      const from = this.filled;
      this.filled += n;
      this.bytesRead += n;
      // Only the new bytes can hold a newline: the partial line had none.
      const nl = this.buf.lastIndexOf(NL, this.filled - 1);
      if (nl >= from) {
        this.end = nl + 1;
        return true;
      }
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private grow(): void {
    const bigger = Buffer.allocUnsafe(this.buf.length * 2);
    this.buf.copy(bigger, 0, 0, this.filled);
    this.buf = bigger;
  }
}

/** Opens a file for reading; a missing or unreadable file is a LoadError. */
export function openFile(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LoadError(file, 0, code === 'ENOENT' ? 'no such file' : `cannot open: ${(err as Error).message}`);
  }
}
