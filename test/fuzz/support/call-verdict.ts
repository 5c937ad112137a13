import { status } from '@grpc/grpc-js';
import { expect } from 'vitest';
import { utf8RoundTrip } from '../../rpc/request-model.js';
import { type CallOutcome, expectRefusedWith } from './call-outcome.js';

/**
 * The oracle for Call: what the server must answer to a JSON text, written
 * from lab_common_so's request shape and the rank work's JSON form
 * (src/rpc/rank-json.ts documents it), not from the code that reads it:
 *
 *   - not JSON, not an object, no non-empty string "api": INVALID_ARGUMENT
 *   - an api no work serves: NOT_FOUND; "example": the body echoed
 *   - "rank": uid and candidate ids are numbers below 2^53 or decimal
 *     strings up to 2^64 − 1 (leading zeros allowed, as in table files);
 *     features are objects of uint32 id → number finite as a float32;
 *     candidates an array of at most 10000 objects with an id (absent: the
 *     default list); top_k a non-negative integer; null means absent.
 *     A bad field is INVALID_ARGUMENT naming it.
 */
export type CallVerdict =
  | { kind: 'refused'; code: status; message: RegExp }
  | { kind: 'refused-naming'; fields: string[] }
  | { kind: 'echo'; body: unknown }
  | { kind: 'rank'; candidateIds: string[] | undefined; topK: number };

const MAX_CANDIDATES = 10000;

export function callVerdict(text: string): CallVerdict {
  let body: unknown;
  try {
    // The server reads the text after a UTF-8 round trip (lone surrogates become U+FFFD).
    body = JSON.parse(utf8RoundTrip(text));
  } catch {
    return { kind: 'refused', code: status.INVALID_ARGUMENT, message: /^invalid JSON: / };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { kind: 'refused', code: status.INVALID_ARGUMENT, message: /must be a JSON object with an "api" field/ };
  }
  const fields = body as Record<string, unknown>;
  const api = fields.api;
  if (typeof api !== 'string' || api === '') return { kind: 'refused', code: status.INVALID_ARGUMENT, message: /"api"/ };
  if (api === 'example') return { kind: 'echo', body };
  if (api !== 'rank') return { kind: 'refused', code: status.NOT_FOUND, message: /^unknown api "/ };
  return rankVerdict(fields);
}

function rankVerdict(body: Record<string, unknown>): CallVerdict {
  const bad: string[] = [];
  if (!absent(body.uid) && !isId(body.uid)) bad.push('uid');
  if (!absent(body.user_features) && !isFeatures(body.user_features)) bad.push('user_features');
  const list = body.candidates;
  let candidateIds: string[] | undefined;
  if (list === null) candidateIds = [];
  else if (list !== undefined) {
    if (!Array.isArray(list) || list.length > MAX_CANDIDATES) bad.push('candidates');
    else {
      list.forEach((c: unknown, k) => {
        const candidate = typeof c === 'object' && c !== null ? (c as Record<string, unknown>) : {};
        if (!isId(candidate.id) || (!absent(candidate.features) && !isFeatures(candidate.features))) bad.push(`candidates[${k}]`);
      });
      candidateIds = list.map((c) => (isId((c as { id?: unknown })?.id) ? String(BigInt((c as { id: string | number }).id)) : ''));
    }
  }
  const topK = body.top_k;
  if (!absent(topK) && !(typeof topK === 'number' && Number.isInteger(topK) && topK >= 0)) bad.push('top_k');
  if (bad.length > 0) return { kind: 'refused-naming', fields: bad };
  return { kind: 'rank', candidateIds, topK: typeof topK === 'number' ? topK : 0 };
}

function absent(v: unknown): boolean {
  return v === undefined || v === null;
}

function isId(v: unknown): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0;
  const digits = typeof v === 'string' && /^[0-9]+$/.test(v) ? v.replace(/^0+/, '') : undefined;
  return digits !== undefined && digits.length <= 20 && BigInt(`0${digits}`) <= 2n ** 64n - 1n;
}

function isFeatures(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.entries(v).every(([k, x]) => /^[0-9]+$/.test(k) && Number(k) <= 0xffff_ffff && typeof x === 'number' && Number.isFinite(Math.fround(x)));
}

/** Checks the server's answer to Call `text` against the oracle; says which way it went. */
export function expectCallAnswer(outcome: CallOutcome<unknown>, text: string): 'served' | 'refused' {
  const what = `Call ${JSON.stringify(text).slice(0, 300)}`;
  const verdict = callVerdict(text);
  switch (verdict.kind) {
    case 'refused':
      expectRefusedWith(outcome, what, verdict.code, verdict.message);
      return 'refused';
    case 'refused-naming': {
      expectRefusedWith(outcome, what, status.INVALID_ARGUMENT, /./);
      const details = (outcome as { details: string }).details;
      expect(verdict.fields.some((f) => details.includes(f)), `${what}: "${details}" names none of ${verdict.fields.join(', ')}`).toBe(true);
      return 'refused';
    }
    case 'echo':
      if (!outcome.ok) throw new Error(`${what}: refused: ${status[outcome.code]} ${outcome.details}`);
      expect(outcome.value, what).toEqual(JSON.parse(JSON.stringify(verdict.body)));
      return 'served';
    case 'rank':
      if (!outcome.ok) throw new Error(`${what}: refused: ${status[outcome.code]} ${outcome.details}`);
      expectRankReply(outcome.value, verdict, what);
      return 'served';
  }
}

function expectRankReply(value: unknown, verdict: { candidateIds: string[] | undefined; topK: number }, what: string): void {
  const reply = value as { plan: unknown; algorithms: unknown; items: { id: unknown; score: unknown }[] };
  expect(reply.plan, what).toMatch(/^(-[12]|[0-9])$/);
  expect(Array.isArray(reply.algorithms) && reply.algorithms.length > 0, what).toBe(true);
  expect(Array.isArray(reply.items), what).toBe(true);
  for (const item of reply.items) expect(typeof item.score === 'number' && Number.isFinite(item.score), `${what}: score ${String(item.score)}`).toBe(true);
  if (verdict.topK > 0) expect(reply.items.length, what).toBeLessThanOrEqual(verdict.topK);
  if (verdict.candidateIds === undefined) return;
  const offered = new Map<string, number>();
  for (const id of verdict.candidateIds) offered.set(id, (offered.get(id) ?? 0) + 1);
  for (const item of reply.items) {
    const left = offered.get(String(item.id)) ?? 0;
    expect(left, `${what}: item ${String(item.id)} was not a candidate`).toBeGreaterThan(0);
    offered.set(String(item.id), left - 1);
  }
}
