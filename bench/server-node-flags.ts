/**
 * The node flags the start command serves with (RANKD_NODE_FLAGS, set by
 * scripts/server-env.sh, which scripts/bench.sh sources): benches start
 * their rankd servers the way `npm start` does.
 */
export function serverNodeFlags(): string[] {
  return (process.env.RANKD_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
}
