/**
 * grpc-js nests connection errors ("No connection established. Last error:
 * Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: "); people need
 * the innermost cause only.
 */
export function innermostError(message: string): string {
  const parts = message.split(/Last error: (?:Error: )?/);
  const inner = parts[parts.length - 1]!.replace(/\.? Resolution note: .*$/, '').replace(/^\d+ [A-Z_]+: /, '').trim();
  return inner || message;
}
