import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Options of a command, for parseCommandArgs. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict, with its several-line complaints folded into one line. */
export function parseCommandArgs<const O extends CommandOptions>(
  argv: string[],
  options: O,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    throw new Error((e as Error).message.split('\n').join(' '));
  }
}
