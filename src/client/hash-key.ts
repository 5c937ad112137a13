/**
 * The request key ring_hash balances on, sent as call metadata so the
 * balancer never decodes the request. The client sets it from the user id
 * unless the caller gives one.
 */
export const HASH_KEY_HEADER = 'x-rankd-hash-key';

/** The user id of a Call body, under the names lab_common_so-style requests use. */
export function callBodyUserId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const name of ['uid', 'user_id', 'userId']) {
    const value = record[name];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  }
  return undefined;
}
