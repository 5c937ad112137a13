import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Lines of a file that are not blank: the keys of `rankd run` input, or the lines of its output. */
export async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim() !== '') n++;
  return n;
}
